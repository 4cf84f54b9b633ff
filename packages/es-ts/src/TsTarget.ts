/**
 * Where {@link EsMuxOutput.writeTo} writes the transport stream. The bytes
 * passed to `write` are lent: they belong to the target until the returned
 * promise settles, then the muxer writes new packets into them. A rejected
 * promise stops the muxing and rejects `writeTo` with that error.
 */
export interface TsTarget {
  write(chunk: Uint8Array): Promise<void>;
}

/** The part of a Node.js `Writable` (file, socket, process stdin) that {@link writableTarget} uses. */
export interface WritableLike {
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
}

/**
 * A {@link TsTarget} over a Node.js `Writable`: each write settles when the
 * stream has flushed the chunk (its write callback), so the muxer reuses the
 * memory only after that. The caller still ends the stream.
 */
export function writableTarget(stream: WritableLike): TsTarget {
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        stream.write(chunk, (error) => (error ? reject(error) : resolve()));
      }),
  };
}
