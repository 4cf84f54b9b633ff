import { expectNumber } from '@rec/core';
import type { LiveEdge } from '../addressing/bounds.js';
import type { Mpd, Period } from '../model/Mpd.js';

/**
 * Where the live edge of a dynamic MPD is for one Period at wall-clock
 * `now` (ms since the epoch, from the injected clock): seconds since the
 * Period start and how far back segments are wanted, the
 * timeShiftBufferDepth or, without one, `liveWindow` (default 0: only the
 * newest available segment of the running Period: "every segment since
 * availabilityStartTime", which the spec would allow, is unbounded with an
 * AST in 1970). A presentation that has ended (now past AST +
 * mediaPresentationDuration) is bounded: with no timeShiftBufferDepth
 * (infinite, 23009-1 Table 3) every segment of it stays available, as
 * shaka-player lists it. `undefined` for a static MPD.
 */
export function liveEdgeOf(
  mpd: Mpd,
  period: Period & { start: number },
  now: number,
  liveWindow = 0,
): LiveEdge | undefined {
  // Without availabilityStartTime (an MPD_NO_AVAILABILITY_START warning) there is no live edge.
  if (mpd.type !== 'dynamic' || mpd.availabilityStartTime === null) return undefined;
  expectNumber('now', now);
  expectNumber('liveWindow', liveWindow, 0);
  const sincePeriodStart = (now - mpd.availabilityStartTime) / 1000 - period.start;
  const ended =
    mpd.mediaPresentationDuration !== null &&
    (now - mpd.availabilityStartTime) / 1000 >= mpd.mediaPresentationDuration;
  return {
    now: sincePeriodStart,
    // Ended, without a window: from the Period's start (all of it, a bounded list).
    depth: mpd.timeShiftBufferDepth ?? (ended ? Math.max(liveWindow, sincePeriodStart) : liveWindow),
    keepNewest:
      mpd.timeShiftBufferDepth === null && (period.duration === null || sincePeriodStart < period.duration),
  };
}
