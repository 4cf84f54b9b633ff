import { EsParseError, EsParseErrorCode } from '../EsParseError.js';
import type { EsWarning, Progress } from '../types.js';
import { type AdtsFrame, AdtsReader, type AdtsSummary } from './AdtsReader.js';

export interface ReadAdtsOptions {
  /** PTS of the first frame, 90 kHz (default 0). */
  startPts?: number;
  signal?: AbortSignal;
  /** After each chunk: bytes read so far. */
  onProgress?: (progress: Progress) => void;
  /** Called once per kind at the end, with the count. */
  onWarning?: (warning: EsWarning) => void;
  /** Name for error messages (file or key). */
  source?: string;
}

/**
 * Yields the ADTS AAC frames (ISO/IEC 13818-7 6.2) of one array or a stream of
 * chunks, each with its PTS; the generator's return value is the summary.
 * Garbage between frames is skipped and reported as a warning; an input
 * without a single valid frame throws `EsParseError` (`INVALID_STREAM`).
 */
export async function* readAdts(
  source: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadAdtsOptions = {},
): AsyncGenerator<AdtsFrame, AdtsSummary, undefined> {
  const { signal, onProgress, onWarning, startPts = 0 } = options;
  signal?.throwIfAborted();
  const reader = new AdtsReader({ startPts });
  let transferred = 0;
  const chunks = source instanceof Uint8Array ? [source] : source;
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    transferred += chunk.length;
    const frames = reader.push(chunk);
    onProgress?.({ transferred });
    yield* frames;
  }
  yield* reader.finish();
  const summary = reader.summary;
  if (summary.frames === 0) {
    throw new EsParseError(
      EsParseErrorCode.InvalidStream,
      `Expected ADTS frames (syncword 0xFFF), found none in ${transferred} bytes`,
      { offset: 0, ...(options.source === undefined ? {} : { source: options.source }) },
    );
  }
  for (const warning of summary.warnings) onWarning?.(warning);
  return summary;
}
