import { describe, expect, it } from 'vitest';
import { BitReader, unescapeRbsp } from '../../src/bitstream/index.js';
import { EsParseError } from '../../src/index.js';

describe('BitReader', () => {
  it('reads u(n), ue(v) and se(v) (ITU-T H.264 9.1, Table 9-2)', () => {
    // ue 0 '1', 1 '010', 2 '011', 3 '00100', 4 '00101'; se codeNum 7 '0001000' = +4; then u(1) '1'.
    const r = new BitReader(Uint8Array.of(0b10100110, 0b01000010, 0b10001000, 0b10000000));
    expect([r.ue(), r.ue(), r.ue(), r.ue(), r.ue()]).toEqual([0, 1, 2, 3, 4]);
    expect(r.se()).toBe(4); // codeNum 7 -> +4
    expect(r.flag()).toBe(true);
    expect(r.position).toBe(25);
  });

  it('reads 32-bit fields without sign problems', () => {
    const r = new BitReader(Uint8Array.of(0xff, 0xff, 0xff, 0xfe, 0x80));
    expect(r.u(32)).toBe(0xfffffffe);
    expect(r.u(1)).toBe(1);
  });

  it('throws EsParseError with the input offset when reading past the end', () => {
    const r = new BitReader(Uint8Array.of(0x00, 0x00), { offset: 1000, what: 'SPS' });
    try {
      r.ue('log2_max_frame_num_minus4');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EsParseError);
      expect((error as EsParseError).code).toBe('ES_INVALID_SYNTAX');
      expect((error as EsParseError).offset).toBe(1002);
      expect((error as EsParseError).message).toMatch(/SPS log2_max_frame_num_minus4/);
    }
  });

  it('finds the rbsp_stop_one_bit for more_rbsp_data()', () => {
    const r = new BitReader(Uint8Array.of(0b10110000, 0x00));
    expect(r.moreRbspData()).toBe(true);
    r.skip(3);
    expect(r.moreRbspData()).toBe(false);
  });
});

describe('unescapeRbsp', () => {
  it('removes emulation_prevention_three_byte after 00 00 only', () => {
    const out = { buffer: new Uint8Array(4) };
    const n = unescapeRbsp(Uint8Array.of(0x65, 0x00, 0x00, 0x03, 0x01, 0x03, 0x00, 0x00, 0x03), out);
    expect([...out.buffer.subarray(0, n)]).toEqual([0x65, 0x00, 0x00, 0x01, 0x03, 0x00, 0x00]);
  });
});
