interface Slab {
  bytes: Uint8Array;
  /** Bytes handed out by the writer whose write has not completed (or that have not been written yet). */
  lent: number;
  /** The writer is filling it. */
  current: boolean;
  /** Larger than the pool's size (one huge unit): dropped, not reused, once free. */
  oneOff: boolean;
}

/**
 * A fixed set of output buffers for the TS writer, reused once everything
 * written into them has been consumed: memory stays flat whatever the length
 * of the stream. The writer takes buffers with {@link take} (synchronously);
 * its caller reports the views it got with {@link produced}, the writes that
 * consume them with {@link track}, and awaits {@link free} before writing
 * when {@link hasFree} says every buffer is still in use.
 */
export class OutputBufferPool {
  readonly #slabSize: number;
  readonly #count: number;
  readonly #slabs = new Map<ArrayBufferLike, Slab>();
  #current: Slab | undefined;
  #waiters: (() => void)[] = [];
  #pending = 0;
  /** The first failed write. */
  error: unknown;
  #failed = false;

  constructor(options: { slabSize: number; count: number }) {
    this.#slabSize = options.slabSize;
    this.#count = Math.max(2, options.count);
  }

  /** A buffer of at least `minBytes` nobody uses any more (a new one while the pool is not full). */
  take(minBytes: number): Uint8Array {
    if (this.#current) this.#current.current = false;
    let slab: Slab | undefined;
    if (minBytes <= this.#slabSize) {
      for (const s of this.#slabs.values()) {
        if (!s.oneOff && isFree(s)) {
          slab = s;
          break;
        }
      }
    }
    this.#dropFreeOneOffs();
    if (!slab) {
      const size = Math.max(this.#slabSize, minBytes);
      const buffer = Buffer.allocUnsafeSlow(size);
      slab = {
        bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, size),
        lent: 0,
        current: false,
        oneOff: size > this.#slabSize,
      };
      this.#slabs.set(slab.bytes.buffer, slab);
    }
    slab.current = true;
    this.#current = slab;
    return slab.bytes;
  }

  /** The writer handed out `view` (a view of one of the pool's buffers). */
  produced(view: Uint8Array): void {
    const slab = this.#slabs.get(view.buffer);
    if (slab) slab.lent += view.length;
  }

  /** `write` consumes `run` (views of one buffer, as produced); the buffer is reusable once it settles. */
  track(run: Uint8Array, write: Promise<void>): void {
    const slab = this.#slabs.get(run.buffer);
    this.#pending++;
    write.then(
      () => {
        this.#pending--;
        if (slab) slab.lent -= run.length;
        this.#wake();
      },
      (error: unknown) => {
        this.#pending--;
        if (!this.#failed) {
          this.#failed = true;
          this.error = error;
        }
        this.#wake();
      },
    );
  }

  /** A buffer can be taken without allocating (or the pool is not full yet). */
  hasFree(): boolean {
    let reusable = 0;
    for (const s of this.#slabs.values()) {
      if (s.oneOff) continue;
      reusable++;
      if (isFree(s)) return true;
    }
    return reusable < this.#count;
  }

  /** Resolves when {@link hasFree}; rejects with the first failed write. */
  async free(): Promise<void> {
    while (!this.#failed && !this.hasFree())
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    if (this.#failed) throw this.error;
  }

  /** Resolves when every tracked write has settled; rejects with the first failed one. */
  async drain(): Promise<void> {
    while (this.#pending > 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    if (this.#failed) throw this.error;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #dropFreeOneOffs(): void {
    for (const [key, s] of this.#slabs) if (s.oneOff && isFree(s)) this.#slabs.delete(key);
  }
}

const isFree = (slab: Slab): boolean => !slab.current && slab.lent === 0;
