import { ByteReader, type ByteSource, type ShortRead } from '@rec/core';

/**
 * The few ISO-BMFF box headers `@rec/mux` has to walk (to shorten the edit
 * lists ffmpeg wrote, and in its tests), on core's bounds-checked
 * `ByteReader`. A stand-in until `@rec/fmp4-boxes` has its box reader: the
 * callers only use `IsoBox`, `readBoxes`, `childBox` and
 * `findTopLevelBox`, so swapping the implementation touches this file only.
 */

/** One box (ISO/IEC 14496-12 4.2): where it is and a reader over its body. */
export interface IsoBox {
  /** Four-character type (`moov`, `trak`...). */
  type: string;
  /** Path from the top, with the index of repeated siblings: `moov/trak[1]/mdia`. */
  path: string;
  /** Absolute offset of the box's first byte. */
  offset: number;
  /** Whole box, header included. */
  size: number;
  /** Reader over the body (after size, type and largesize); its short reads name `path`. */
  body: ByteReader;
}

/** What went wrong where; the caller turns it into its own error. */
export interface BoxProblem {
  path: string;
  offset: number;
  message: string;
}
export type BoxErrorFactory = (problem: BoxProblem) => Error;

const hex = (offset: number) => `0x${offset.toString(16)}`;

/** The default: `moov/trak[1]/tkhd at 0x1f3a: needs 4 bytes, 2 left`. */
export const boxRangeError: BoxErrorFactory = ({ path, offset, message }) =>
  new RangeError(`${path || '(top level)'} at ${hex(offset)}: ${message}`);

const shortRead =
  (path: string, onError: BoxErrorFactory) =>
  ({ offset, needed, available }: ShortRead) =>
    onError({ path, offset, message: `needs ${needed} bytes, ${available} left` });

/** A reader over bytes in memory whose short reads name `path`. */
export function boxReader(
  bytes: Uint8Array,
  options: { baseOffset?: number; path?: string; onError?: BoxErrorFactory } = {},
): ByteReader {
  const onError = options.onError ?? boxRangeError;
  return new ByteReader(bytes, {
    baseOffset: options.baseOffset ?? 0,
    onShortRead: shortRead(options.path ?? '', onError),
  });
}

/**
 * The boxes that fill `reader` from its position to its end (the children of
 * a container, or a whole file in memory). ISO/IEC 14496-12 4.2:
 * size(32) type(32), then largesize(64) when size == 1; size 0 runs to the
 * end of the enclosing box. A size that does not fit is an error naming the
 * box and its offset.
 */
export function readBoxes(
  reader: ByteReader,
  options: { parentPath?: string; onError?: BoxErrorFactory } = {},
): IsoBox[] {
  const onError = options.onError ?? boxRangeError;
  const parent = options.parentPath ?? '';
  const seen = new Map<string, number>();
  const boxes: IsoBox[] = [];
  while (reader.remaining > 0) {
    const start = reader.position;
    const offset = reader.offset;
    let size = reader.u32(); // size
    const type = reader.fourcc(); // type
    const index = seen.get(type) ?? 0;
    seen.set(type, index + 1);
    const name = index === 0 ? type : `${type}[${index}]`;
    const path = parent ? `${parent}/${name}` : name;
    if (size === 1)
      size = readLargeSize(reader, path, onError); // largesize
    else if (size === 0) size = reader.length - start; // to the end of the enclosing box
    const header = reader.position - start;
    if (size < header || size - header > reader.remaining) {
      throw onError({
        path,
        offset,
        message: `box size ${size} does not fit: ${reader.remaining + header} bytes left`,
      });
    }
    boxes.push({ type, path, offset, size, body: reader.sub(size - header, shortRead(path, onError)) });
  }
  return boxes;
}

function readLargeSize(reader: ByteReader, path: string, onError: BoxErrorFactory): number {
  const at = reader.offset;
  const value = reader.u64();
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw onError({ path, offset: at, message: `largesize ${value} is above 2^53` });
  return Number(value);
}

/** The first child of `box` of type `type` (read from its body, which is not consumed). */
export function childBox(box: IsoBox, type: string, onError?: BoxErrorFactory): IsoBox | undefined {
  return childBoxes(box, onError).find((child) => child.type === type);
}

/** The children of a container box. */
export function childBoxes(box: IsoBox, onError?: BoxErrorFactory): IsoBox[] {
  const body = boxReader(box.body.bytes, { baseOffset: box.body.baseOffset, path: box.path, onError });
  return readBoxes(body, { parentPath: box.path, onError });
}

/**
 * The first top-level box of type `type` in a source, found by reading box
 * headers only (never the bodies: an `mdat` of gigabytes is skipped, not
 * loaded). Returns its offset and size, or undefined.
 */
export async function findTopLevelBox(
  source: ByteSource,
  type: string,
  options: { onError?: BoxErrorFactory; signal?: AbortSignal } = {},
): Promise<{ offset: number; size: number } | undefined> {
  const onError = options.onError ?? boxRangeError;
  const total = await source.size();
  for (let at = 0; at < total; ) {
    const header = await source.read(at, Math.min(total, at + 16), options.signal);
    const reader = boxReader(header, { baseOffset: at, onError });
    let size = reader.u32(); // size
    const found = reader.fourcc(); // type
    if (size === 1)
      size = readLargeSize(reader, found, onError); // largesize
    else if (size === 0) size = total - at;
    if (size < reader.position || at + size > total) {
      throw onError({
        path: found,
        offset: at,
        message: `box size ${size} does not fit: ${total - at} bytes left`,
      });
    }
    if (found === type) return { offset: at, size };
    at += size;
  }
  return undefined;
}
