import {
  expectNumber,
  invalidOption,
  makeProgress,
  type ProgressListener,
  ProgressUnit,
  type RecWarning,
} from '@rec/core';
import { EsParseError, EsParseErrorCode } from '../EsParseError.js';
import type { EsWarningCode } from '../EsWarningCode.js';
import { isIterable } from '../isIterable.js';
import { type AdtsFrame, AdtsReader, type AdtsSummary } from './AdtsReader.js';

export interface ReadAdtsOptions {
  /** PTS of the first frame, 90 kHz (default 0). */
  startPts?: number;
  signal?: AbortSignal;
  /** After each chunk: bytes read so far (`total` and `percent` when the source is one array). */
  onProgress?: ProgressListener;
  /** Called once per kind at the end, with the count. */
  onWarning?: (warning: RecWarning<EsWarningCode>) => void;
  /** Name for error messages and the warnings' `source` (file or key). */
  source?: string;
}

/**
 * Yields the ADTS AAC frames (ISO/IEC 13818-7 6.2) of one array or a stream of
 * chunks, each with its PTS; the generator's return value is the summary.
 * Garbage between frames is skipped and reported as a warning; an input
 * without a single valid frame throws `EsParseError` (`ES_INVALID_STREAM`).
 * Bad options throw a `TypeError` at once.
 */
export function readAdts(
  source: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadAdtsOptions = {},
): AsyncGenerator<AdtsFrame, AdtsSummary, undefined> {
  if (!(source instanceof Uint8Array) && !isIterable(source)) {
    throw invalidOption('source', 'a Uint8Array or an (async) iterable of Uint8Array', source);
  }
  if (options.startPts !== undefined) expectNumber('startPts', options.startPts);
  return frames(source, options);
}

async function* frames(
  source: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadAdtsOptions,
): AsyncGenerator<AdtsFrame, AdtsSummary, undefined> {
  const { signal, onProgress, onWarning, startPts = 0 } = options;
  signal?.throwIfAborted();
  const reader = new AdtsReader({ startPts, source: options.source });
  const total = source instanceof Uint8Array ? source.length : undefined;
  let transferred = 0;
  for await (const chunk of source instanceof Uint8Array ? [source] : source) {
    signal?.throwIfAborted();
    transferred += chunk.length;
    const frames = reader.push(chunk);
    onProgress?.(makeProgress(transferred, total, ProgressUnit.Bytes));
    yield* frames;
  }
  yield* reader.finish();
  const summary = reader.summary;
  if (summary.frames === 0) {
    throw new EsParseError(
      EsParseErrorCode.InvalidStream,
      `Expected ADTS frames (syncword 0xFFF), found none in ${transferred} bytes`,
      { offset: 0, source: options.source },
    );
  }
  for (const warning of summary.warnings) onWarning?.(warning);
  return summary;
}
