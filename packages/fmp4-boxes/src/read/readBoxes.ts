import { type ByteSource, expectInteger } from '@rec/core';
import type { Box } from '../Box.js';
import { type BoxWalkOptions, walkSettings } from './options.js';
import { SourceWindow } from './SourceWindow.js';
import { ReadRequest, walkBoxes } from './walkBoxes.js';

export interface ReadBoxesOptions extends BoxWalkOptions {
  /** Where the first box starts (default 0). */
  start?: number;
  /** Where the boxes end (default: the source's size). */
  end?: number;
  /** Aborting rejects the iteration with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Yield the top-level boxes only (default false): each still comes
   * before its children are read, and gets them in `children` as the walk
   * goes on, complete when the next one is yielded. Saves an async
   * iteration per nested box (a fragmented file of 10,000 boxes has 3,000
   * at the top).
   */
  topLevelOnly?: boolean;
}

/**
 * Every box of `source` in file order, each yielded before its children
 * (`depth` 0 for the top level), for streaming: a dump prints as it goes,
 * and memory stays flat whatever the file size. Only box headers and the
 * bodies of decoded boxes are read: `mdat` payloads never, containers
 * (`moov`, `moof`...) header by header as the iteration reaches them, so a
 * caller that stops early reads nothing more.
 *
 * Each box is also pushed onto its parent's `children`: keep the depth-0
 * boxes to have the tree once the iteration is done.
 *
 * A truncated file yields every complete box, then throws `BoxParseError`
 * `BOX_TRUNCATED` with the offset of the box that was cut.
 */
export async function* readBoxes(
  source: ByteSource,
  options: ReadBoxesOptions = {},
): AsyncGenerator<Box, void> {
  const settings = walkSettings(options);
  const { signal } = options;
  signal?.throwIfAborted();
  const size = await source.size();
  const start = options.start === undefined ? 0 : expectInteger('start', options.start, 0);
  const end = options.end === undefined ? size : Math.min(size, expectInteger('end', options.end, start));
  const topLevelOnly = options.topLevelOnly === true;
  const window = new SourceWindow(source, end, signal);
  const walker = walkBoxes({
    ...settings,
    start,
    dataEnd: end,
    yieldDepth: topLevelOnly ? 0 : undefined,
    held: (from, to) => window.held(from, to),
  });
  let input: Uint8Array | undefined;
  for (;;) {
    const step = walker.next(input);
    if (step.done) return;
    const value = step.value;
    if (value instanceof ReadRequest) {
      input = await window.read(value.start, value.end, value.ahead);
    } else {
      input = undefined;
      signal?.throwIfAborted();
      yield value;
    }
  }
}
