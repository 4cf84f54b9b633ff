import { EsParseError, EsParseErrorCode } from '../EsParseError.js';
import type { Progress } from '../types.js';
import { TsReader, type TsReaderOptions, type TsReadResult } from './TsReader.js';

export interface ReadTsOptions extends TsReaderOptions {
  signal?: AbortSignal;
  /** After each chunk: bytes read so far (`total` when the source is one array). */
  onProgress?: (progress: Progress) => void;
}

/**
 * Reads a whole MPEG-TS (ISO/IEC 13818-1) from one array or a stream of
 * chunks (a Node Readable, a web ReadableStream, an async generator) and
 * returns what {@link TsReader} found. Nothing is buffered beyond one packet
 * and the open PES headers, unless `keepPayload` is set; with `onPes`,
 * `onPcr` and `onSection` the result lists stay empty.
 *
 * Throws `EsParseError` (`INVALID_TS`) when not a single packet was found.
 */
export async function readTs(
  source: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadTsOptions = {},
): Promise<TsReadResult> {
  const { signal, onProgress, ...readerOptions } = options;
  signal?.throwIfAborted();
  const reader = new TsReader(readerOptions);
  if (source instanceof Uint8Array) {
    reader.push(source);
    onProgress?.({ transferred: source.length, total: source.length, percent: 100 });
  } else {
    let transferred = 0;
    for await (const chunk of source) {
      signal?.throwIfAborted();
      reader.push(chunk);
      transferred += chunk.length;
      onProgress?.({ transferred });
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
