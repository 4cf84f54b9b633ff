import { expectNumber, type ProgressListener } from '@rec/core';
import { DEFAULT_START_PTS, TS_CLOCK } from './clock.js';
import type { EsMuxOutput } from './EsMuxResult.js';
import { muxSegments } from './muxSegments.js';
import type { Codec } from './types.js';

export interface MuxElementaryStreamOptions {
  /** Default h264. */
  codec?: Codec;
  /** Frames per second, used only when the stream has no VUI/VPS timing. */
  frameRate?: number;
  /** PTS in seconds of the first presented picture (default 1.4, {@link DEFAULT_START_PTS}, like ffmpeg). */
  startTime?: number;
  /** Name for messages. */
  source?: string;
  /**
   * An input that ends inside a picture fails with `EsParseError`
   * `ES_TRUNCATED` instead of being cut with an `ES_SEGMENT_CUT` warning
   * (see `muxSegments`' `strict`).
   */
  strict?: boolean;
  signal?: AbortSignal;
  /** After each input chunk: bytes read so far. */
  onProgress?: ProgressListener;
}

/**
 * One H.264/H.265 Annex-B elementary stream -> MPEG-TS packets, with PTS/DTS
 * derived from the bitstream (see {@link parseAccessUnits}). Bad options
 * throw a `TypeError` at once. An input without a decodable picture rejects
 * with `EsParseError`; one that ends inside a picture (or has bytes that cannot
 * be parsed after decodable pictures) is cut there, with a warning and an
 * entry in `damaged`, unless `strict`.
 */
export function muxElementaryStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: MuxElementaryStreamOptions = {},
): EsMuxOutput {
  const startTime = expectNumber('startTime', options.startTime ?? DEFAULT_START_PTS / TS_CLOCK, 0);
  const { codec, frameRate, strict, signal, onProgress } = options;
  return muxSegments([{ name: options.source ?? 'input', startTime, source: () => chunks }], {
    origin: startTime,
    basePts: Math.round(startTime * TS_CLOCK),
    codec,
    frameRate,
    strict,
    signal,
    onProgress,
  });
}
