import { open } from 'node:fs/promises';
import { openFileSource } from '@rec/core/node';
import {
  type Box,
  BoxParseError,
  defaultDecoders,
  findBox,
  overwriteBox,
  parseBoxes,
  readBoxes,
} from '@rec/fmp4-boxes';
import { MuxError, MuxErrorCode } from '../MuxError.js';

/** The boxes the MP4 patches read and rewrite (ISO/IEC 14496-12 8.2-8.6), and the containers down to them. */
const PATCHED = new Set([
  'moov',
  'trak',
  'mdia',
  'minf',
  'stbl',
  'edts',
  'mvhd',
  'tkhd',
  'mdhd',
  'hdlr',
  'elst',
  'stts',
]);
const decoders = defaultDecoders.filter((decoder) => PATCHED.has(decoder.type));

const MAX_MOOV_BYTES = 1 << 30;

/**
 * The `moov` of an MP4 that ffmpeg wrote, in memory and decoded with
 * `@rec/fmp4-boxes` (only the boxes above; the others keep their bytes), to
 * change fixed-size fields in place: a patched box is written back with the
 * box writer over its own bytes, which must not change size.
 */
export interface Mp4Moov {
  file: string;
  /** Offset of the moov in the file. */
  offset: number;
  bytes: Uint8Array;
  moov: Box;
}

/** A `MuxError` about an MP4 that ffmpeg wrote and this step cannot use. */
export function unreadableMp4(file: string, message: string, cause?: unknown): MuxError {
  return new MuxError(
    MuxErrorCode.FfmpegFailed,
    `${file}: ffmpeg wrote an MP4 this step cannot read: ${message}`,
    {
      file,
      cause,
    },
  );
}

/**
 * Reads the top-level `moov` of `file`: box headers up to it (an `mdat`
 * before it is skipped, never loaded), then the moov whole (at most 1 GiB).
 */
export async function readMoov(file: string): Promise<Mp4Moov> {
  const source = await openFileSource(file);
  try {
    let found: Box | undefined;
    for await (const box of readBoxes(source, { maxDepth: 0, decoders: [] })) {
      if (box.type === 'moov') {
        found = box;
        break;
      }
    }
    if (found === undefined) throw unreadableMp4(file, 'no moov box');
    if (found.size > MAX_MOOV_BYTES) {
      throw unreadableMp4(file, `moov at 0x${found.offset.toString(16)}: ${found.size} bytes, above 1 GiB`);
    }
    const bytes = await source.read(found.offset, found.offset + found.size);
    const [moov] = parseBoxes(bytes, { offset: found.offset, decoders });
    if (moov?.type !== 'moov') throw unreadableMp4(file, 'no moov box');
    return { file, offset: found.offset, bytes, moov };
  } catch (error) {
    throw error instanceof BoxParseError ? unreadableMp4(file, error.message, error) : error;
  } finally {
    await source.close();
  }
}

/** The box at `path` under `from` (fmp4-boxes `findBox`), or a `MuxError` naming what is missing. */
export function needBox<B extends Box = Box>(moov: Mp4Moov, from: Box, path: string): B {
  const box = findBox(from, path) as B | undefined;
  if (box === undefined) throw unreadableMp4(moov.file, `no ${from.path}/${path}`);
  return box;
}

/** Writes `box` (its fields changed, its size not) over its bytes in the moov. */
export function patchBox(moov: Mp4Moov, box: Box): void {
  try {
    overwriteBox(moov.bytes, box, { decoders, bytesOffset: moov.offset });
  } catch (error) {
    throw error instanceof RangeError ? unreadableMp4(moov.file, error.message, error) : error;
  }
}

/** Writes the moov back over the same range of its file. */
export async function writeMoov(moov: Mp4Moov): Promise<void> {
  const handle = await open(moov.file, 'r+');
  try {
    await handle.write(moov.bytes, 0, moov.bytes.length, moov.offset);
  } finally {
    await handle.close();
  }
}
