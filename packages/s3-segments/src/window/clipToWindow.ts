import type { Segment } from '../types/Segment.js';

export interface ClipBounds {
  /** Padded window start: the segment(s) starting last at or before it are kept. */
  from: number;
  /** Padded window end: segments starting at or after it end the stream. */
  to: number;
  /** Segments starting before `from - lookback` are dropped. */
  lookback: number;
}

/**
 * Streams the window out of segments of ONE kind that arrive in epoch order:
 * keeps the latest segment(s) starting at or before `from` (the one covering
 * the start), then every segment starting before `to`, and returns (which
 * closes the source, e.g. stops S3 paging) at the first one starting at or after `to`.
 */
export async function* clipToWindow(
  source: AsyncIterable<Segment>,
  bounds: ClipBounds,
): AsyncGenerator<Segment> {
  let covering: Segment[] = [];
  let started = false;
  for await (const segment of source) {
    if (segment.epoch >= bounds.to) break;
    if (segment.epoch <= bounds.from) {
      if (segment.epoch < bounds.from - bounds.lookback) continue;
      if (covering[0] !== undefined && covering[0].epoch !== segment.epoch) covering = [];
      covering.push(segment);
      continue;
    }
    if (!started) {
      started = true;
      yield* covering;
    }
    yield segment;
  }
  if (!started) yield* covering;
}
