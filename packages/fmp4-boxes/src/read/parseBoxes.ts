import { expectInteger } from '@rec/core';
import type { Box } from '../Box.js';
import { type BoxWalkOptions, walkSettings } from './options.js';
import { ReadRequest, walkBoxes } from './walkBoxes.js';

export interface ParseBoxesOptions extends BoxWalkOptions {
  /** Absolute offset of `bytes[0]` in its file (default 0), so offsets and errors are the file's. */
  offset?: number;
}

/**
 * The boxes of `bytes` (a segment, an init segment, a `sidx` fetched by
 * its byte range...) as a tree: the top-level boxes, each with its
 * `children`. Nothing is copied but decoded fields; `mdat` payloads are
 * not looked at. Throws `BoxParseError` on the first bad or cut box (use
 * `readBoxes(bytesSource(bytes))` to keep the boxes read before it).
 */
export function parseBoxes(bytes: Uint8Array, options: ParseBoxesOptions = {}): Box[] {
  const base = options.offset === undefined ? 0 : expectInteger('offset', options.offset, 0);
  const walker = walkBoxes({
    ...walkSettings(options),
    start: base,
    dataEnd: base + bytes.length,
    yieldDepth: 0,
    held: (start, end) => bytes.subarray(start - base, end - base),
  });
  const top: Box[] = [];
  let input: Uint8Array | undefined;
  for (;;) {
    const step = walker.next(input);
    if (step.done) return top;
    const value = step.value;
    if (value instanceof ReadRequest) {
      input = bytes.subarray(value.start - base, value.end - base);
    } else {
      input = undefined;
      if (value.depth === 0) top.push(value);
    }
  }
}
