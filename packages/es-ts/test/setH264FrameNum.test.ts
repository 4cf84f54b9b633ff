import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTestVideo, makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BitReader, setH264FrameNum, unescapeRbsp } from '../src/bitstream/index.js';
import { splitAnnexB } from './ts/fixtures.js';

// The frame_num rewrite that lets a decoder read a P or B picture taken out of its stream.

let tmp: TempDir;
let stream: Uint8Array;

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-frame-num-');
  const file = join(tmp.path, 'in.h264');
  // log2_max_frame_num 4 (x264's default): frame_num wraps every 16 reference pictures.
  await encodeTestVideo(file, { seconds: 2, bframes: 3, format: 'h264', params: ['ref=4'] });
  stream = new Uint8Array(await readFile(file));
});
afterAll(async () => {
  await tmp?.remove();
});

/** frame_num of a slice NAL of the test stream (no colour planes; 4 bits), and where it sits. */
function frameNum(nal: Uint8Array): { value: number; bit: number } {
  const scratch = { buffer: new Uint8Array(32) };
  const r = new BitReader(scratch.buffer, { length: unescapeRbsp(nal, scratch, 32), startByte: 1 });
  r.ue();
  r.ue();
  r.ue();
  const bit = r.position;
  return { value: r.u(4), bit };
}

describe('setH264FrameNum', () => {
  it('writes frame_num (modulo MaxFrameNum) into every non-IDR slice and changes no other bit', () => {
    const out = setH264FrameNum(stream, 16 + 9);
    expect(out).not.toBe(stream);
    expect(out.length).toBe(stream.length);
    const before = splitAnnexB(stream, 'h264');
    const after = splitAnnexB(out, 'h264');
    expect(after.map((nal) => nal.type)).toEqual(before.map((nal) => nal.type));
    let rewritten = 0;
    for (const [index, nal] of after.entries()) {
      const original = before[index]!.bytes;
      if (nal.type !== 1) {
        expect(Buffer.from(nal.bytes)).toEqual(Buffer.from(original));
        continue;
      }
      const { value, bit } = frameNum(nal.bytes);
      expect(value).toBe(9);
      rewritten++;
      // Only the 4 bits of frame_num differ.
      for (let b = 0; b < original.length * 8; b++) {
        if (b >= bit && b < bit + 4) continue;
        const mask = 0x80 >> (b & 7);
        if (((original[b >> 3]! ^ nal.bytes[b >> 3]!) & mask) !== 0)
          throw new Error(`bit ${b} of NAL ${index} changed`);
      }
    }
    expect(rewritten).toBe(48);
    // The input is left as it was.
    expect(frameNum(splitAnnexB(stream, 'h264').find((nal) => nal.type === 1)!.bytes).value).not.toBe(9);
  });

  it('without parameter sets nothing is rewritten', () => {
    const slices = splitAnnexB(stream, 'h264').filter((nal) => nal.type === 1);
    const bare = Buffer.concat(slices.flatMap((nal) => [Buffer.from([0, 0, 0, 1]), nal.bytes]));
    expect(Buffer.from(setH264FrameNum(bare, 9))).toEqual(bare);
  });
});
