import { fcParameters } from '@rec/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPcr, writePcr } from '../../src/ts/pcr.js';
import { PesTimestampPrefix, pesTimestampMarkersValid, readPesTimestamp } from '../../src/ts/pesTimestamp.js';
import { readTs } from '../../src/ts/readTs.js';
import { TsWriter } from '../../src/ts/TsWriter.js';
import { writePesHeader } from '../../src/ts/writePesHeader.js';

describe('PES header', () => {
  it('writes PTS and DTS with prefixes and marker bits (ISO/IEC 13818-1 2.4.3.7)', () => {
    const out = new Uint8Array(19);
    const length = writePesHeader(out, 0, { streamId: 0xe0, pts: 133_200, dts: 126_000 });
    expect(length).toBe(19);
    expect(Array.from(out)).toEqual([
      0x00,
      0x00,
      0x01, // packet_start_code_prefix
      0xe0, // stream_id: video stream 0
      0x00,
      0x00, // PES_packet_length 0: unbounded
      0x84, // '10', not scrambled, data_alignment_indicator 1
      0xc0, // PTS_DTS_flags '11'
      0x0a, // PES_header_data_length 10
      // PTS 133200 = 0x20850: '0011' PTS[32..30]=000 1 | PTS[29..15]=4 1 | PTS[14..0]=0x0850 1
      0x31,
      0x00,
      0x09,
      0x10,
      0xa1,
      // DTS 126000 = 0x1EC30: '0001' 000 1 | 3 1 | 0x6C30 1
      0x11,
      0x00,
      0x07,
      0xd8,
      0x61,
    ]);
    // Audio: PTS only, PES_packet_length = 3 + 5 + payload.
    const audio = new Uint8Array(14);
    expect(writePesHeader(audio, 0, { streamId: 0xc0, pts: 2 ** 33 - 1, payloadLength: 300 })).toBe(14);
    expect(Array.from(audio)).toEqual([
      0x00,
      0x00,
      0x01,
      0xc0, // prefix, stream_id: audio stream 0
      0x01,
      0x34, // PES_packet_length 308
      0x84, // data_alignment_indicator 1
      0x80, // PTS_DTS_flags '10'
      0x05, // PES_header_data_length 5
      0x2f,
      0xff,
      0xff,
      0xff,
      0xff, // '0010', all 33 bits set, marker bits
    ]);
  });

  it('round-trips any 33-bit PTS/DTS, and wraps larger values modulo 2^33', () => {
    const values = [
      0,
      1,
      2 ** 30 - 1,
      2 ** 30,
      2 ** 32,
      2 ** 33 - 1,
      2 ** 33,
      2 ** 33 + 5,
      -1,
      1.7e9 * 90_000,
    ];
    const out = new Uint8Array(19);
    for (const v of values) {
      writePesHeader(out, 0, { streamId: 0xe0, pts: v + 3600, dts: v });
      expect(pesTimestampMarkersValid(out, 9) && pesTimestampMarkersValid(out, 14)).toBe(true);
      expect(out[9]! >> 4).toBe(PesTimestampPrefix.PtsWithDts);
      expect(out[14]! >> 4).toBe(PesTimestampPrefix.Dts);
      const mod = (x: number) => ((x % 2 ** 33) + 2 ** 33) % 2 ** 33;
      expect([readPesTimestamp(out, 9), readPesTimestamp(out, 14)]).toEqual([mod(v + 3600), mod(v)]);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 33 - 1 }), (v) => {
        writePesHeader(out, 0, { streamId: 0xe0, pts: v });
        return readPesTimestamp(out, 9) === v && pesTimestampMarkersValid(out, 9);
      }),
      fcParameters(100),
    );
  });

  it('round-trips PCR base and extension', () => {
    const out = new Uint8Array(6);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 33 - 1 }), fc.integer({ min: 0, max: 299 }), (base, ext) => {
        writePcr(out, 0, base, ext);
        return readPcr(out, 0) === base * 300 + ext && (out[4]! & 0x7e) === 0x7e;
      }),
      fcParameters(100),
    );
  });

  it('writer -> reader keeps PTS/DTS of synthetic access units near the wrap', async () => {
    const writer = new TsWriter({ codec: 'h264' });
    const start = 2 ** 33 - 5 * 3600;
    const slice = Uint8Array.of(0x65, 0x88, 0x84, 0x00, 0x21); // IDR slice NAL (content irrelevant here)
    const parts: Uint8Array[] = [];
    const expected: [number, number][] = [];
    for (let i = 0; i < 10; i++) {
      const dts = start + i * 3600;
      const pts = dts + (i % 2) * 7200;
      parts.push(
        writer.writeVideo({
          codec: 'h264',
          nals: [{ type: i === 0 ? 5 : 1, bytes: slice }],
          keyframe: i === 0,
          pts,
          dts,
          duration: 3600,
          byteOffset: 0,
        }),
      );
      expected.push([pts % 2 ** 33, dts % 2 ** 33]);
    }
    const read = await readTs(parts);
    expect(read.pes.map((p) => [p.pts, p.dts])).toEqual(expected);
    expect(read.continuityErrorCount).toBe(0);
  });
});
