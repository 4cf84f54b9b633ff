import { describe, expect, it } from 'vitest';
import { ParameterSetCarry } from '../../src/bitstream/ParameterSetCarry.js';
import type { NalUnit } from '../../src/types.js';

const nal = (type: number, ...rest: number[]): NalUnit => ({ type, bytes: Uint8Array.of(type, ...rest) });
const types = (nals: readonly NalUnit[]) => nals.map((n) => [n.type, ...n.bytes.subarray(1)]);

describe('ParameterSetCarry', () => {
  it('puts the parameter sets of dropped pictures after the AUD of the next one, in stream order, once', () => {
    const carry = new ParameterSetCarry('h264');
    // SPS, PPS 0, a slice; then the same SPS again and another PPS: the repeat moves to the end.
    carry.keep([nal(7, 1), nal(8, 0), nal(1, 9)]);
    carry.keep([nal(7, 1), nal(8, 1), nal(6, 5), nal(1, 9)]);
    expect(carry.size).toBe(3);
    const written = carry.prepend([nal(9, 0xf0), nal(5, 7)]);
    expect(types(written)).toEqual([
      [9, 0xf0],
      [8, 0],
      [7, 1],
      [8, 1],
      [5, 7],
    ]);
    expect(carry.size).toBe(0);
  });

  it('leaves out what the picture carries itself, and copies what it keeps', () => {
    const carry = new ParameterSetCarry('hevc');
    const vps = nal(32, 1);
    carry.keep([vps, nal(33, 2), nal(34, 3), nal(1, 4)]);
    vps.bytes[1] = 0xee; // the dropped picture's memory is reused
    const own = [nal(33, 2), nal(34, 3), nal(19, 5)];
    expect(types(carry.prepend(own))).toEqual([
      [32, 1],
      [33, 2],
      [34, 3],
      [19, 5],
    ]);
    const idle = [nal(1, 6)];
    expect(carry.prepend(idle)).toBe(idle);
  });

  it('keeps at most 64 parameter sets', () => {
    const carry = new ParameterSetCarry('h264');
    for (let id = 0; id < 100; id++) carry.keep([nal(8, id)]);
    expect(carry.size).toBe(64);
    expect(types(carry.prepend([nal(5)]))[0]).toEqual([8, 36]);
  });
});
