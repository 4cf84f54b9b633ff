/**
 * Random access to bytes that may not be in memory: a Buffer, a file handle,
 * an HTTP Range or S3 ranged GET. Format code reads through this and never
 * touches files or sockets itself (mediabunny's `Source`).
 */
export interface ByteSource {
  /** Total length in bytes. */
  size(): Promise<number>;
  /**
   * Bytes [start, end) (`end` clamped to the size). May return fewer only at
   * the end of the source. The returned bytes may be a view the source keeps
   * reusing only if documented; the ones here return fresh or stable views.
   */
  read(start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** What the bytes are (a path, URL or key without credentials), for error messages. */
  readonly name?: string;
}

/** A `ByteSource` over bytes already in memory; `read` returns views, no copies. */
export function bytesSource(bytes: Uint8Array, name?: string): ByteSource {
  return {
    ...(name === undefined ? {} : { name }),
    size: () => Promise.resolve(bytes.length),
    async read(start, end, signal) {
      signal?.throwIfAborted();
      return bytes.subarray(Math.max(0, start), Math.min(bytes.length, Math.max(start, end)));
    },
  };
}
