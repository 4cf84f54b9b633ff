import { invalidOption, makeProgress, type ProgressListener, ProgressUnit } from '@rec/core';
import { EsParseError, EsParseErrorCode } from '../EsParseError.js';
import { isIterable } from '../isIterable.js';
import { TsReader, type TsReaderOptions, type TsReadResult } from './TsReader.js';

export interface ReadTsOptions extends TsReaderOptions {
  signal?: AbortSignal;
  /** After each chunk: bytes read so far (`total` and `percent` in [0, 1] when the source is one array). */
  onProgress?: ProgressListener;
}

/**
 * Reads a whole MPEG-TS (ISO/IEC 13818-1) from one array or a stream of
 * chunks (a Node Readable, a web ReadableStream, an async generator) and
 * returns what {@link TsReader} found. Nothing is buffered beyond one packet
 * and the open PES headers, unless `keepPayload` is set; with `onPes`,
 * `onPcr` and `onSection` the result lists stay empty.
 *
 * Rejects with `EsParseError` (`TS_INVALID`) when not a single packet was
 * found, with a `TypeError` for bad options.
 */
export async function readTs(
  source: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadTsOptions = {},
): Promise<TsReadResult> {
  if (!(source instanceof Uint8Array) && !isIterable(source)) {
    throw invalidOption('source', 'a Uint8Array or an (async) iterable of Uint8Array', source);
  }
  const { signal, onProgress, ...readerOptions } = options;
  signal?.throwIfAborted();
  const reader = new TsReader(readerOptions);
  if (source instanceof Uint8Array) {
    reader.push(source);
    onProgress?.(makeProgress(source.length, source.length, ProgressUnit.Bytes));
  } else {
    let transferred = 0;
    for await (const chunk of source) {
      signal?.throwIfAborted();
      reader.push(chunk);
      transferred += chunk.length;
      onProgress?.(makeProgress(transferred, undefined, ProgressUnit.Bytes));
    }
  }
  const result = reader.finish();
  if (result.packets === 0 && result.bytes > 0) {
    throw new EsParseError(
      EsParseErrorCode.InvalidTs,
      `Expected MPEG-TS packets (sync byte 0x47 every 188 bytes), found none in ${result.bytes} bytes`,
      { offset: 0 },
    );
  }
  return result;
}
