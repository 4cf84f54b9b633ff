import type { EsMuxOutput } from './EsMuxResult.js';
import { muxSegments } from './muxSegments.js';
import { type Codec, type Progress, TS_CLOCK } from './types.js';

export interface MuxElementaryStreamOptions {
  /** Default h264. */
  codec?: Codec;
  /** Frames per second, used only when the stream has no VUI/VPS timing. */
  frameRate?: number;
  /** PTS in seconds of the first presented picture (default 1.4, like ffmpeg). */
  startTime?: number;
  /** Name for messages. */
  source?: string;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/**
 * One H.264/H.265 Annex-B elementary stream -> MPEG-TS packets, with PTS/DTS
 * derived from the bitstream (see {@link parseAccessUnits}).
 */
export function muxElementaryStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: MuxElementaryStreamOptions = {},
): EsMuxOutput {
  const startTime = options.startTime ?? 1.4;
  return muxSegments([{ name: options.source ?? 'input', startTime, source: () => chunks }], {
    origin: startTime,
    basePts: Math.round(startTime * TS_CLOCK),
    ...(options.codec === undefined ? {} : { codec: options.codec }),
    ...(options.frameRate === undefined ? {} : { frameRate: options.frameRate }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
}
