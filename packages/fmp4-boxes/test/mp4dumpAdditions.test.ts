/**
 * Boxes added for mp4dump's Bento4 parity (issue 10), from byte literals:
 * the TrueHD `dmlp`, the 10-byte `nclx` colr some writers make
 * (ExoPlayer's sample_18byte_nclx_colr.mp4) and `leva`, each read and
 * written back.
 */

import { box, bytes, fourcc, fullBox, u8, u16, u32 } from '@rec/test-support';
import { describe, expect, it } from 'vitest';
import { parseBoxes } from '../src/index.js';
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

describe('leva', () => {
  it('reads each level by its assignment type', () => {
    const input = bytes(
      fullBox(
        'leva',
        0,
        0,
        u8(3), // level_count
        u32(1), // track_ID
        u8(0x00), // padding_flag 0, assignment_type 0
        fourcc('sap '), // grouping_type
        u32(1), // track_ID
        u8(0x81), // padding_flag 1, assignment_type 1
        fourcc('tele'), // grouping_type
        u32(7), // grouping_type_parameter
        u32(2), // track_ID
        u8(0x04), // assignment_type 4
        u32(9), // sub_track_ID
      ),
    );
    expect(parseBoxes(input)[0]).toMatchObject({
      type: 'leva',
      levels: [
        { trackId: 1, paddingFlag: 0, assignmentType: 0, groupingType: 'sap ' },
        { trackId: 1, paddingFlag: 1, assignmentType: 1, groupingType: 'tele', groupingTypeParameter: 7 },
        { trackId: 2, paddingFlag: 0, assignmentType: 4, subTrackId: 9 },
      ],
    });
    expectRoundTrip(input);
  });
});
