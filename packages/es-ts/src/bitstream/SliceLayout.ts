/**
 * Tells whether the picture at the end of an input misses slices. Where a
 * slice ends is in no header (only decoding its data finds the last
 * macroblock), but where each one starts is: first_mb_in_slice (ITU-T H.264
 * 7.4.3), slice_segment_address (H.265 7.4.7.1). When every complete picture
 * of the input started its slices at the same addresses (a fixed slice
 * layout: x264 `slices=N`, cameras that code a slice per band of rows), a
 * last picture whose slices stop short of that layout lost the rest: the
 * input ended inside one of its slices or between two. With a layout that
 * varies (slices cut by size) nothing is concluded.
 */
export class SliceLayout {
  #layout: number[] | undefined;
  #fixed = true;

  /** The slice start addresses of a picture known to be complete (another picture followed it). */
  complete(starts: readonly number[]): void {
    if (!this.#fixed || starts.length === 0) return;
    if (this.#layout === undefined) this.#layout = [...starts];
    else if (!isPrefix(starts, this.#layout) || starts.length !== this.#layout.length) this.#fixed = false;
  }

  /** How many slices of the layout a last picture starting its slices at `starts` misses (0: none, or unknown). */
  missing(starts: readonly number[]): number {
    const layout = this.#layout;
    if (!this.#fixed || layout === undefined || starts.length >= layout.length) return 0;
    return isPrefix(starts, layout) ? layout.length - starts.length : 0;
  }

  /** Slices per picture in the layout (undefined while none is known or when it varies). */
  get slices(): number | undefined {
    return this.#fixed ? this.#layout?.length : undefined;
  }
}

function isPrefix(starts: readonly number[], of: readonly number[]): boolean {
  if (starts.length > of.length) return false;
  for (let i = 0; i < starts.length; i++) if (starts[i] !== of[i]) return false;
  return true;
}
