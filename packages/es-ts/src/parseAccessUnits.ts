import { type RecWarning, WarningLog } from '@rec/core';
import { DEFAULT_START_PTS } from './clock.js';
import { EsParser } from './EsParser.js';
import type { EsWarningCode } from './EsWarningCode.js';
import { expectCodec, expectFrameRate, expectTicks } from './expectOption.js';
import type { AccessUnit, Codec } from './types.js';

export interface ParseAccessUnitsOptions {
  codec: Codec;
  /** Frames per second, used only when the stream carries no VUI/VPS timing (a warning says so). */
  frameRate?: number;
  /** PTS (90 kHz) of the first presented picture; default {@link DEFAULT_START_PTS} (1.4 s, as ffmpeg starts TS). */
  startPts?: number;
  /** Segment or file name for messages and errors. */
  source?: string;
  signal?: AbortSignal;
  /** Called once per warning code, when it first happens (counts are final only at the end). */
  onWarning?: (warning: RecWarning<EsWarningCode>) => void;
}

/**
 * Access units of an H.264/H.265 Annex-B elementary stream, in decoding
 * order, with PTS/DTS derived from the bitstream: DTS at a constant frame
 * rate, PTS from picture order count through the output (bumping) process.
 * Bad options throw a `TypeError` at once.
 */
export function parseAccessUnits(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ParseAccessUnitsOptions,
): AsyncIterable<AccessUnit> {
  const parser = new EsParser({
    codec: expectCodec(options.codec),
    frameRate: expectFrameRate(options.frameRate),
    startPts: expectTicks('startPts', options.startPts ?? DEFAULT_START_PTS),
    warnings: new WarningLog(options.onWarning),
    source: options.source,
  });
  return accessUnits(parser, chunks, options.signal);
}

async function* accessUnits(
  parser: EsParser,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<AccessUnit> {
  const out: AccessUnit[] = [];
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    out.length = 0;
    parser.push(chunk, out);
    yield* out;
  }
  signal?.throwIfAborted();
  out.length = 0;
  parser.end(out);
  yield* out;
}
