import type { WarningLog } from '@rec/core';
import { type ClockOptions, type Mpd, MpdWarningCode, syncClock } from '@rec/mpd';
import type { DashgetWarningCode } from '../DashgetWarningCode.js';
import { LiveWarningCode } from './LiveWarningCode.js';

/** What the recording reports of the server clock. */
export interface LiveClockSummary {
  /** Milliseconds added to the local clock to get the server's, as last measured. */
  offset: number;
  /** Successful measurements (UTCTiming), the first one included; 0 when the local clock was used throughout. */
  syncs: number;
  /** The largest change of `offset` between two measurements, ms (how far the clocks drifted apart). */
  drift: number;
}

interface LiveClockOptions {
  /** The local wall clock, ms since the epoch. */
  localNow: () => number;
  fetchTime: NonNullable<ClockOptions['fetchTime']>;
  /** Milliseconds between measurements after the first; `Infinity`: never again. */
  interval: number;
}

/**
 * The server's wall clock for a live recording: measured from the MPD's
 * UTCTiming (`syncClock`, ISO/IEC 23009-1 5.8.4.11) at the start and again
 * every `interval`, from the newest manifest's UTCTiming (a `direct` value
 * changes with every refresh). Over hours two clocks drift apart (a
 * packager's NTP step, a VM's slow clock): a stale offset puts the live
 * edge where the server's is not, asking for segments not out yet or gone
 * from the time-shift window. A measurement that fails keeps the last
 * offset (the local clock is no better guess than it).
 */
export class LiveClock {
  #offset = 0;
  #syncs = 0;
  #drift = 0;
  #lastSync: number | undefined;
  readonly #options: LiveClockOptions;

  constructor(options: LiveClockOptions) {
    this.#options = options;
  }

  /** The server's clock now, ms since the epoch. */
  now(): number {
    return this.#options.localNow() + this.#offset;
  }

  summary(): LiveClockSummary {
    return { offset: this.#offset, syncs: this.#syncs, drift: this.#drift };
  }

  /** The first measurement: its warnings (`MPD_CLOCK_LOCAL` when nothing could be used) go to the recording's. */
  async sync(
    mpd: Mpd,
    warnings: WarningLog<LiveWarningCode | MpdWarningCode | DashgetWarningCode>,
    signal: AbortSignal,
  ): Promise<void> {
    await this.#measure(mpd, warnings, signal, true);
  }

  /** Measures again when `interval` has passed since the last measurement and the MPD names a UTCTiming. */
  async resyncIfDue(
    mpd: Mpd,
    warnings: WarningLog<LiveWarningCode | MpdWarningCode | DashgetWarningCode>,
    signal: AbortSignal,
  ): Promise<void> {
    const { localNow, interval } = this.#options;
    if (this.#lastSync === undefined || localNow() - this.#lastSync < interval) return;
    if (mpd.utcTimings.length === 0) return;
    await this.#measure(mpd, warnings, signal, false);
  }

  async #measure(
    mpd: Mpd,
    warnings: WarningLog<LiveWarningCode | MpdWarningCode | DashgetWarningCode>,
    signal: AbortSignal,
    first: boolean,
  ): Promise<void> {
    const { localNow, fetchTime } = this.#options;
    const clock = await syncClock(mpd, { fetchTime, now: localNow, signal });
    this.#lastSync = localNow();
    // A re-sync that fails keeps the last offset: its "the local clock is used" would be untrue.
    warnings.merge(
      first ? clock.warnings : clock.warnings.filter((w) => w.code !== MpdWarningCode.LocalClock),
    );
    if (clock.source === null) {
      if (!first) {
        warnings.add(
          LiveWarningCode.ClockResyncFailed,
          `no UTCTiming answered a re-sync: the offset measured before (${Math.round(this.#offset)} ms) is kept`,
        );
      }
      return;
    }
    if (this.#syncs > 0) this.#drift = Math.max(this.#drift, Math.abs(clock.offset - this.#offset));
    this.#offset = clock.offset;
    this.#syncs++;
  }
}
