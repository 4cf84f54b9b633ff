import type { ByteSource } from '@rec/core';

/** The most a header read fetches ahead, so that walking small boxes is not one source read per box. */
const READ_AHEAD = 64 * 1024;

/**
 * The last bytes read from a source, kept to serve the next reads that fall
 * inside them: box headers are read 32 bytes at a time, and a file or an
 * HTTP Range request per header would be slow. Holds one buffer at a time
 * (at most the read-ahead or the largest body asked for), so memory stays
 * flat however large the file.
 */
export class SourceWindow {
  // `private`, not `#`, for speed before V8's top tier (see @rec/core's ByteReader).
  private readonly source: ByteSource;
  private readonly end: number;
  private readonly signal: AbortSignal | undefined;
  private bytes: Uint8Array = new Uint8Array(0);
  private start = 0;

  constructor(source: ByteSource, end: number, signal: AbortSignal | undefined) {
    this.source = source;
    this.end = end;
    this.signal = signal;
  }

  /**
   * Bytes [start, end) when the window holds them, without a trip through
   * the event loop (walking a fragmented file asks for about 10,000
   * headers, nearly all of them inside the window); undefined otherwise.
   */
  held(start: number, end: number): Uint8Array | undefined {
    if (start >= this.start && end <= this.start + this.bytes.length) {
      return this.bytes.subarray(start - this.start, end - this.start);
    }
    return undefined;
  }

  /**
   * Bytes [start, end), fewer only if the source has fewer; reads ahead up
   * to `ahead` (at most READ_AHEAD past start), where the caller expects its
   * next reads.
   */
  async read(start: number, end: number, ahead = end): Promise<Uint8Array> {
    const held = this.held(start, end);
    if (held !== undefined) return held;
    this.signal?.throwIfAborted();
    this.bytes = new Uint8Array(0); // let the old window go before the next one is allocated
    const until = Math.min(this.end, Math.max(end, Math.min(ahead, start + READ_AHEAD)));
    const bytes = await this.source.read(start, until, this.signal);
    this.bytes = bytes;
    this.start = start;
    return bytes.subarray(0, Math.min(bytes.length, end - start));
  }
}
