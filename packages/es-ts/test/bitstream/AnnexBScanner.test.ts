import { describe, expect, it } from 'vitest';
import { AnnexBScanner, findStartCode, type NalPosition } from '../../src/bitstream/index.js';
import { EsParseError } from '../../src/index.js';

const bytesOf = (nals: NalPosition[]) =>
  nals.map((n) => [n.position, [...n.data.subarray(n.offset, n.offset + n.length)]]);

// leading_zero_8bits, 4-byte start code, SPS-like NAL; 3-byte start code, NAL ending in a
// 00 00 03 escape; trailing_zero_8bits + 4-byte start code; last NAL.
const STREAM = Uint8Array.of(
  0x00,
  0x00, // leading_zero_8bits
  0x00,
  0x00,
  0x00,
  0x01,
  0x67,
  0x42,
  0x00, // zero_byte + start code, NAL 1 (ends in 00: trailing zero)
  0x00,
  0x00,
  0x01,
  0x68,
  0x00,
  0x00,
  0x03,
  0x01, // start code, NAL 2 (escaped 00 00 01)
  0x00,
  0x00,
  0x00,
  0x00,
  0x01,
  0x65,
  0x88,
  0x01,
  0x02, // trailing zeros + start code, NAL 3
);
const EXPECTED = [
  [6, [0x67, 0x42]],
  [12, [0x68, 0x00, 0x00, 0x03, 0x01]],
  [22, [0x65, 0x88, 0x01, 0x02]],
];

function scanIn(pieces: Uint8Array[]): NalPosition[] {
  const scanner = new AnnexBScanner();
  const out: NalPosition[] = [];
  for (const p of pieces) scanner.push(p, out);
  scanner.flush(out);
  return out;
}

describe('findStartCode', () => {
  it('finds 00 00 01 and skips lone 01 bytes and 00 00 03', () => {
    const buf = Uint8Array.of(0x01, 0x00, 0x01, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x01, 0x09);
    expect(findStartCode(buf, 0)).toBe(7);
    expect(findStartCode(buf, 8)).toBe(-1);
    expect(findStartCode(buf, 0, 9)).toBe(-1);
  });
});

describe('AnnexBScanner', () => {
  it('splits at 3- and 4-byte start codes, dropping leading and trailing zero bytes', () => {
    expect(bytesOf(scanIn([STREAM]))).toEqual(EXPECTED);
  });

  it('gives the same NAL units however the input is cut into chunks', () => {
    for (let a = 1; a < STREAM.length; a++) {
      for (let b = a; b < STREAM.length; b++) {
        const pieces = [STREAM.subarray(0, a), STREAM.subarray(a, b), STREAM.subarray(b)];
        expect(bytesOf(scanIn(pieces)), `cut at ${a}, ${b}`).toEqual(EXPECTED);
      }
    }
    expect(bytesOf(scanIn([...STREAM].map((b) => Uint8Array.of(b))))).toEqual(EXPECTED);
  });

  it('returns views of the chunk, not copies, for NAL units inside one chunk', () => {
    const out = scanIn([STREAM]);
    expect(out[1]!.data.buffer).toBe(STREAM.buffer);
  });

  it('rejects input without a start code in its first 64 KiB', () => {
    const scanner = new AnnexBScanner();
    expect(() => scanner.push(new Uint8Array(70_000).fill(0xab))).toThrow(EsParseError);
  });

  it('rejects a NAL unit that never ends, instead of growing without bound', () => {
    const scanner = new AnnexBScanner({ maxNalSize: 1000 });
    scanner.push(Uint8Array.of(0, 0, 1, 0x65));
    expect(() => {
      for (let i = 0; i < 10; i++) scanner.push(new Uint8Array(200).fill(0x55));
    }).toThrow(/larger than 1000 bytes/);
  });
});
