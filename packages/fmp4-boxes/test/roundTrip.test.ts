/**
 * The writer mirrors the reader: every box of every fixture, read and
 * written back, gives the bytes it was read from (STYLE.md: every writer is
 * tested by write -> read back, here against the original bytes). Only the
 * bodies of boxes no decoder knows (mdat, free) come from the original.
 */
import { describe, expect, it } from 'vitest';
import {
  type Box,
  defaultDecoders,
  encodeBox,
  encodeBoxes,
  findBox,
  type MovieHeaderBox,
  overwriteBox,
  parseBoxes,
} from '../src/index.js';
import { fixtureBytes, fixtures } from './helpers/bento4.js';

/** Whether `box` and all below it have a decoder that writes them (no original bytes needed). */
function fullyWritten(box: Box, written: Set<string>): boolean {
  const known =
    written.has(box.type) || box.type === 'uuid' || 'version' in box || box.children !== undefined;
  return known && (box.children ?? []).every((child) => fullyWritten(child, written));
}

/** Every box with its ancestors. */
function* everyBox(boxes: readonly Box[], ancestors: Box[] = []): Generator<[Box, Box[]]> {
  for (const box of boxes) {
    yield [box, ancestors];
    yield* everyBox(box.children ?? [], [...ancestors, box]);
  }
}

describe('round trip: decode -> encode gives the same bytes', () => {
  it('every decoder that reads also writes', () => {
    const missing = defaultDecoders
      .filter((d) => d.read !== undefined && d.write === undefined)
      .map((d) => d.type);
    expect(missing).toEqual([]);
  });

  for (const name of fixtures.filter((f) => f !== '25-truncated.mp4')) {
    it(`${name}: the whole file, and each box alone`, () => {
      const bytes = fixtureBytes(name);
      const boxes = parseBoxes(bytes);
      expect(Buffer.from(encodeBoxes(boxes, { original: bytes })).equals(Buffer.from(bytes))).toBe(true);
      const withWriters = new Set(defaultDecoders.filter((d) => d.write || d.container).map((d) => d.type));
      let alone = 0;
      for (const [box, ancestors] of everyBox(boxes)) {
        const expected = Buffer.from(bytes.subarray(box.offset, box.offset + box.size));
        const written = Buffer.from(encodeBox(box, { original: bytes, ancestors }));
        expect(written.equals(expected), box.path).toBe(true);
        if (box.type !== 'mdat' && box.type !== 'free' && fullyWritten(box, withWriters)) {
          const own = Buffer.from(encodeBox(box, { ancestors }));
          expect(own.equals(expected), `${box.path} without the original`).toBe(true);
          alone++;
        }
      }
      expect(alone).toBeGreaterThan(5);
    });
  }

  it('edited fields write the new values and the sizes that follow', () => {
    const bytes = fixtureBytes('06-dash_init-0.m4s');
    const boxes = parseBoxes(bytes);
    const moov = boxes[1]!;
    const hdlr = moov
      .children![1]!.children!.find((b) => b.type === 'mdia')!
      .children!.find((b) => b.type === 'hdlr')!;
    (hdlr as Box & { handlerName: string }).handlerName = 'A longer handler name';
    const written = encodeBoxes(boxes);
    const [, again] = parseBoxes(written);
    expect(again!.size).toBe(moov.size + 'A longer handler name'.length - 'VideoHandler'.length);
    expect(
      JSON.stringify(again, (key, value) => (key === 'offset' || key === 'size' ? undefined : value)),
    ).toContain('A longer handler name');
  });

  it('overwriteBox patches a fixed-size field in place and refuses a change of size', () => {
    const bytes = fixtureBytes(fixtures[0]!);
    const copy = bytes.slice();
    const boxes = parseBoxes(copy);
    const mvhd = findBox(boxes, 'moov/mvhd') as MovieHeaderBox;
    mvhd.duration = 12_345;
    overwriteBox(copy, mvhd);
    expect((findBox(parseBoxes(copy), 'moov/mvhd') as MovieHeaderBox).duration).toBe(12_345);
    // Only the duration's bytes moved.
    const changed = [...copy.keys()].filter((i) => copy[i] !== bytes[i]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((i) => i >= mvhd.offset && i < mvhd.offset + mvhd.size)).toBe(true);
    const hdlr = findBox(boxes, 'moov/trak/mdia/hdlr') as Box & { handlerName: string };
    hdlr.handlerName = `${hdlr.handlerName} and more`;
    const before = copy.slice();
    expect(() => overwriteBox(copy, hdlr)).toThrow(RangeError);
    expect(copy).toEqual(before);
  });
});
