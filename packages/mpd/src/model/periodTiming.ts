import type { WarningLog } from '@rec/core';
import { MpdWarningCode } from '../MpdWarningCode.js';

export interface PeriodTimingInput {
  path: string;
  start: number | undefined;
  duration: number | undefined;
}

export interface PeriodTiming {
  start: number | null;
  duration: number | null;
}

/**
 * PeriodStart and duration of every Period (ISO/IEC 23009-1 5.3.2.1):
 * - `@start` when present;
 * - else the previous Period's start + its `@duration`;
 * - else 0 for the first Period of a static MPD;
 * - else an early available Period (no start; `null`).
 * Two departures, both where the rules above leave the start unknown: the
 * first Period of a dynamic MPD without `@start` starts at 0 (with a
 * warning), as shaka-player takes it; and a Period whose own `@duration`
 * and the starts after it (or `mediaPresentationDuration`) fix its start
 * gets that start (go-dash's newperiod.mpd: a 3-minute last Period of a
 * 6:16 presentation starts at 3:16).
 * A Period lasts until the next one starts, the last one until the end of
 * the presentation, or its own `@duration` when shorter or alone known.
 */
export function placePeriods(
  periods: readonly PeriodTimingInput[],
  type: 'static' | 'dynamic',
  presentationDuration: number | undefined,
  warnings: WarningLog<MpdWarningCode>,
): PeriodTiming[] {
  const starts: (number | undefined)[] = periods.map((period) => period.start);
  const forward = () => {
    for (let index = 0; index < periods.length; index++) {
      if (starts[index] !== undefined) continue;
      const previous = periods[index - 1];
      const previousStart = starts[index - 1];
      if (index === 0) starts[0] = type === 'static' ? 0 : undefined;
      else if (previous?.duration !== undefined && previousStart !== undefined) {
        starts[index] = previousStart + previous.duration;
      }
    }
  };
  forward();
  // Backwards from the end of the presentation: start = next start - own @duration.
  let end = presentationDuration;
  for (let index = periods.length - 1; index >= 0; index--) {
    const own = periods[index]?.duration;
    if (starts[index] === undefined && end !== undefined && own !== undefined && end - own >= 0) {
      starts[index] = end - own;
    }
    end = starts[index];
  }
  forward();
  if (starts[0] === undefined && periods[0]) {
    warnings.add(
      MpdWarningCode.PeriodStartAssumed,
      `${periods[0].path}: the first Period of a dynamic MPD has no @start; taken as 0`,
    );
    starts[0] = 0;
    forward();
  }

  return periods.map((period, index) => {
    const start = starts[index];
    if (start === undefined) {
      warnings.add(
        MpdWarningCode.EarlyAvailablePeriod,
        `${period.path}: no @start and the previous Period has no @duration: its start is unknown, no segments`,
      );
      return { start: null, duration: null };
    }
    const nextStart = starts[index + 1];
    let duration: number | null = null;
    if (nextStart !== undefined) {
      duration = nextStart - start;
      if (duration < 0) {
        warnings.add(MpdWarningCode.PeriodGap, `${period.path}: the next Period starts before this one`);
        duration = period.duration ?? 0;
      } else if (period.duration !== undefined && Math.abs(period.duration - duration) > 0.001) {
        warnings.add(
          MpdWarningCode.PeriodGap,
          `${period.path}: @duration ${period.duration} s but the next Period starts ${duration} s later; the next @start wins`,
        );
      }
    } else if (index === periods.length - 1 && presentationDuration !== undefined) {
      duration = Math.max(0, presentationDuration - start);
      if (duration === 0) {
        warnings.add(
          MpdWarningCode.PeriodGap,
          `${period.path}: starts at ${start} s, not before the end of the presentation (mediaPresentationDuration ${presentationDuration} s): no segments`,
        );
      }
      if (period.duration !== undefined) duration = Math.min(duration, period.duration);
    } else if (period.duration !== undefined) {
      duration = period.duration;
    }
    return { start, duration };
  });
}
