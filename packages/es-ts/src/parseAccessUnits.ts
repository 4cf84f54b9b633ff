import { throwIfAborted } from './abortable.js';
import { EsParser } from './EsParser.js';
import type { AccessUnit, Codec, EsWarning } from './types.js';
import { WarningLog } from './WarningLog.js';

export interface ParseAccessUnitsOptions {
  codec: Codec;
  /** Frames per second, used only when the stream carries no VUI/VPS timing (a warning says so). */
  frameRate?: number;
  /** PTS (90 kHz) of the first presented picture; default 126000 (1.4 s, as ffmpeg starts TS). */
  startPts?: number;
  /** Segment or file name for messages and errors. */
  source?: string;
  signal?: AbortSignal;
  /** Called once per warning code, when it first happens (counts are final only at the end). */
  onWarning?: (warning: EsWarning) => void;
}

/** Default PTS of the first presented picture: 1.4 s, like ffmpeg's mpegts muxer, so earlier DTS stay positive. */
export const DEFAULT_START_PTS = 126_000;

/**
 * Access units of an H.264/H.265 Annex-B elementary stream, in decoding
 * order, with PTS/DTS derived from the bitstream: DTS at a constant frame
 * rate, PTS from picture order count through the output (bumping) process.
 */
export async function* parseAccessUnits(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ParseAccessUnitsOptions,
): AsyncIterable<AccessUnit> {
  const parser = new EsParser({
    codec: options.codec,
    startPts: options.startPts ?? DEFAULT_START_PTS,
    warnings: new WarningLog(options.onWarning),
    ...(options.frameRate === undefined ? {} : { frameRate: options.frameRate }),
    ...(options.source === undefined ? {} : { source: options.source }),
  });
  const out: AccessUnit[] = [];
  for await (const chunk of chunks) {
    throwIfAborted(options.signal);
    out.length = 0;
    parser.push(chunk, out);
    yield* out;
  }
  throwIfAborted(options.signal);
  out.length = 0;
  parser.end(out);
  yield* out;
}
