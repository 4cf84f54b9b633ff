/**
 * Joins consecutive views that are adjacent in the same buffer (the TS
 * writer's slab) into one view, so a consumer gets a few large writes per
 * input chunk instead of one per access unit. No bytes are copied.
 */
export class ByteRuns {
  #runs: Uint8Array[] = [];
  #current: Uint8Array | undefined;

  add(view: Uint8Array): void {
    if (view.length === 0) return;
    const c = this.#current;
    if (c && c.buffer === view.buffer && c.byteOffset + c.length === view.byteOffset) {
      this.#current = new Uint8Array(c.buffer, c.byteOffset, c.length + view.length);
      return;
    }
    if (c) this.#runs.push(c);
    this.#current = view;
  }

  /** The joined views so far, oldest first; empties the collector. */
  take(): Uint8Array[] {
    const runs = this.#runs;
    if (this.#current) runs.push(this.#current);
    this.#runs = [];
    this.#current = undefined;
    return runs;
  }
}
