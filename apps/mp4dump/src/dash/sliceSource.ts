import type { ByteSource } from '@rec/core';

/**
 * Bytes [start, start + size) of `source` as a source of their own (a
 * SegmentBase segment inside its file): offsets in it count from the
 * segment's first byte.
 */
export function sliceSource(source: ByteSource, start: number, size: number): ByteSource {
  if (start === 0) {
    return {
      name: source.name,
      size: async () => Math.min(size, await source.size()),
      read: (from, to, signal) => source.read(from, Math.min(to, size), signal),
    };
  }
  return {
    name: source.name,
    size: async () => Math.max(0, Math.min(size, (await source.size()) - start)),
    read: (from, to, signal) =>
      source.read(start + Math.max(0, from), start + Math.min(Math.max(from, to), size), signal),
  };
}
