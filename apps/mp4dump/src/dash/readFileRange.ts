import { open } from 'node:fs/promises';
import type { ByteRange } from '@rec/mpd';
import { Mp4DumpError, Mp4DumpErrorCode } from '../Mp4DumpError.js';

/** The bytes of `range` (inclusive; the whole file without one) of a local file: a SegmentBase's sidx. */
export async function readFileRange(
  path: string,
  range?: ByteRange,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT'
      ? new Mp4DumpError(Mp4DumpErrorCode.MissingSegment, `${path} is missing`, { file: path, cause: error })
      : new Mp4DumpError(Mp4DumpErrorCode.Io, `${path} cannot be read (${error.code ?? error.message})`, {
          file: path,
          cause: error,
        });
  });
  try {
    const first = range?.first ?? 0;
    const end = range?.last === undefined ? (await handle.stat()).size : range.last + 1;
    const bytes = new Uint8Array(Math.max(0, end - first));
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, first);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
