/** A picture entering the timer in decoding order. */
export interface TimerInput<T> {
  /** PicOrderCnt for output ordering within the current coded video sequence. */
  poc: number;
  /** Output every held picture before this one (IDR, IRAP with NoRaslOutputFlag, MMCO 5). */
  flushBefore: boolean;
  /** max_num_reorder_frames / sps_max_num_reorder_pics in force for this picture. */
  reorder: number;
  item: T;
}

export interface TimedItem<T> {
  item: T;
  pts: number;
  dts: number;
}

interface Entry<T> {
  input: TimerInput<T>;
  /** Decoding index. */
  n: number;
  /** Presentation slot, once output. */
  k: number;
}

/**
 * Places pictures on a constant-frame-rate timeline: DTS from decoding order,
 * PTS from the output order the HRD output process (ITU-T H.264 C.4.5.3 /
 * H.265 C.5.2.2 "bumping") produces when it holds `reorder` frames.
 *
 * Output slot k gets PTS = startPts + k * d; decoding index n gets
 * DTS = startPts + (n - R) * d, R being the reorder depth of the first
 * picture. The bumping process outputs slot k no later than when picture
 * k + R is decoded, so PTS >= DTS, and the first presented picture has
 * exactly `startPts`. Items leave in decoding order as soon as their slot is
 * known (at most R + 1 are held).
 *
 * A later SPS may reorder deeper than R. Then a DTS from the formula can
 * exceed not only its own PTS but also the PTS of a picture decoded after
 * it, and DTS must increase: DTS(n) < DTS(n + 1) <= PTS(n + 1). So each DTS
 * is capped below the PTS of every picture decoded after it that is held
 * (with the next free slot's PTS for those without a slot yet), which keeps
 * PTS >= DTS and strictly increasing DTS both (`clamped` counts the capped
 * ones). Capping a DTS at its own PTS alone, then moving it one tick past
 * the previous DTS, gave DTS = PTS + 1 on such streams.
 */
export class PresentationTimer<T> {
  readonly #startPts: number;
  readonly #duration: number;
  #offsetFrames: number | undefined;
  #n = 0;
  #k = 0;
  /** Decoded, waiting to leave in decoding order. */
  readonly #decoded: Entry<T>[] = [];
  /** Decoded, not yet output (the "DPB" waiting for output). */
  readonly #waiting: Entry<T>[] = [];
  /** Pictures whose DTS had to be clamped to their PTS (a reorder depth larger than the first one). */
  clamped = 0;
  #lastDts = Number.NEGATIVE_INFINITY;
  /** Scratch for #drain: the DTS cap of each picture leaving. */
  readonly #caps: number[] = [];

  /** @param frameDuration exact frame duration in 90 kHz ticks (may be fractional, e.g. 3003.003). */
  constructor(options: { startPts: number; frameDuration: number }) {
    this.#startPts = options.startPts;
    this.#duration = options.frameDuration;
  }

  /** Reorder depth used for the DTS offset (fixed by the first picture). */
  get reorderDepth(): number {
    return this.#offsetFrames ?? 0;
  }

  push(input: TimerInput<T>, out: TimedItem<T>[] = []): TimedItem<T>[] {
    this.#offsetFrames ??= input.reorder;
    if (input.flushBefore) this.#bumpAll();
    const entry: Entry<T> = { input, n: this.#n++, k: -1 };
    this.#decoded.push(entry);
    this.#waiting.push(entry);
    while (this.#waiting.length > input.reorder) this.#bump();
    this.#drain(out);
    return out;
  }

  /** The items held: decoded, waiting for their presentation slot. */
  held(): T[] {
    return this.#decoded.map((entry) => entry.input.item);
  }

  flush(out: TimedItem<T>[] = []): TimedItem<T>[] {
    this.#bumpAll();
    this.#drain(out);
    return out;
  }

  #bumpAll(): void {
    while (this.#waiting.length > 0) this.#bump();
  }

  /** Outputs the waiting picture with the smallest POC (the first one on ties). */
  #bump(): void {
    const waiting = this.#waiting;
    let best = 0;
    for (let i = 1; i < waiting.length; i++) if (waiting[i]!.input.poc < waiting[best]!.input.poc) best = i;
    const [entry] = waiting.splice(best, 1);
    entry!.k = this.#k++;
  }

  #pts(slot: number): number {
    return this.#startPts + Math.round(slot * this.#duration);
  }

  #drain(out: TimedItem<T>[]): void {
    const decoded = this.#decoded;
    let leaving = 0;
    while (leaving < decoded.length && decoded[leaving]!.k >= 0) leaving++;
    if (leaving === 0) return;
    // Caps, from the last held picture back: below the PTS of each picture decoded later, one tick per picture between.
    const caps = this.#caps;
    const nextSlotPts = this.#pts(this.#k);
    let cap = Number.POSITIVE_INFINITY;
    for (let i = decoded.length - 1; i >= 0; i--) {
      const k = decoded[i]!.k;
      cap = Math.min(k >= 0 ? this.#pts(k) : nextSlotPts, cap - 1);
      if (i < leaving) caps[i] = cap;
    }
    const d = this.#duration;
    const r = this.#offsetFrames ?? 0;
    for (let i = 0; i < leaving; i++) {
      const e = decoded[i]!;
      let dts = this.#startPts + Math.round((e.n - r) * d);
      if (dts > caps[i]!) {
        dts = caps[i]!;
        this.clamped++;
      }
      // Cannot happen (each earlier DTS was capped below this cap); kept so DTS never goes back.
      if (dts <= this.#lastDts) dts = this.#lastDts + 1;
      this.#lastDts = dts;
      out.push({ item: e.input.item, pts: this.#pts(e.k), dts });
    }
    decoded.splice(0, leaving);
  }
}
