/**
 * Boxes added for mp4dump's Bento4 parity (issue 10), from byte literals:
 * the TrueHD `dmlp` and the 10-byte `nclx` colr some writers make
 * (ExoPlayer's sample_18byte_nclx_colr.mp4), each read and written back.
 */
import { describe, expect, it } from 'vitest';
import { parseBoxes } from '../src/index.js';
import { box, bytes, fourcc, u16, u32 } from './helpers/bytes.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

describe('dmlp', () => {
  it('reads format_info, the 15-bit peak_data_rate and the reserved bits', () => {
    const input = bytes(
      box(
        'dmlp',
        u32(0x0178034f), // format_info
        u16((3125 << 1) | 0), // peak_data_rate(15), reserved(1)
        u32(0), // reserved
      ),
    );
    expect(parseBoxes(input)[0]).toMatchObject({
      type: 'dmlp',
      formatInfo: 0x0178034f,
      peakDataRate: 3125,
      reserved1: 0,
    });
    expectRoundTrip(input);
  });
});

describe('colr', () => {
  it('reads an nclx without its range byte (10 bytes), and writes it back the same', () => {
    const input = bytes(
      box(
        'colr',
        fourcc('nclx'), // colour_type
        u16(1), // colour_primaries
        u16(1), // transfer_characteristics
        u16(1), // matrix_coefficients (no full_range_flag byte)
      ),
    );
    const [colr] = parseBoxes(input);
    expect(colr).toMatchObject({ colourType: 'nclx', colourPrimaries: 1, matrixCoefficients: 1 });
    expect(colr).not.toHaveProperty('fullRangeFlag');
    expectRoundTrip(input);
  });
});
