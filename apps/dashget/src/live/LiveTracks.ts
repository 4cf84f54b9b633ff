import type { TimeRange } from '@rec/core';
import type {
  MediaSegment,
  ResolvedMpd,
  ResolvedPeriod,
  ResolvedRepresentation,
  SegmentLocation,
} from '@rec/mpd';
import type { RecordedTrack } from './staticMpd.js';

/** A file of the recording: an init segment or a media segment, once planned. */
export interface LiveFile {
  url: string;
  /** Set by the plan: where it goes under the output directory. */
  localPath?: string;
  status: 'new' | 'queued' | 'done' | 'failed';
  bytes: number;
  /** The media segment it is (absent for an init segment). */
  segment?: MediaSegment;
}

interface Track extends Omit<RecordedTrack, 'init' | 'segments'> {
  init: LiveFile | null;
  /** By media time (`S@t`): the same segment in every refresh, whatever its URL or number says. */
  segments: Map<bigint, LiveFile>;
}

/** Which media a new refresh brought: a ResolvedMpd cut down to it (for `planDownload`), and the files it names. */
export interface NewMedia {
  resolved: ResolvedMpd;
  files: LiveFile[];
}

/**
 * The Representations being recorded across manifest refreshes: which
 * segments of the recording window each refresh lists that no earlier one
 * did. A segment is the same segment across refreshes when its
 * Representation (by Period and id) and media time are; its URL is only
 * where to fetch it.
 */
export class LiveTracks {
  readonly #tracks = new Map<string, Track>();
  readonly #urls = new Set<string>();

  /**
   * Where the recording starts and ends on the presentation timeline: from
   * the live edge (the newest listed segment of every Representation; the
   * latest of their starts, so each one's segment covering it is available
   * already or still to come) for `duration` seconds. `undefined` while no
   * segment is listed yet.
   */
  static windowAt(resolved: ResolvedMpd, duration: number, from: 'edge' | 'start'): TimeRange | undefined {
    const starts = representations(resolved)
      .map(({ resolved: r }) => (from === 'edge' ? r.segments.at(-1) : r.segments[0])?.start)
      .filter((start) => start !== undefined);
    if (starts.length === 0) return undefined;
    const start = from === 'edge' ? Math.max(...starts) : Math.min(...starts);
    return { start, end: start + duration };
  }

  /** The segments of `resolved` in `window` not seen before (and the inits of new Representations). */
  add(resolved: ResolvedMpd, window: TimeRange): NewMedia {
    const files: LiveFile[] = [];
    const periods: ResolvedPeriod[] = [];
    for (const period of resolved.periods) {
      const sets: ResolvedPeriod['adaptationSets'] = [];
      for (const set of period.adaptationSets) {
        const reps: ResolvedRepresentation[] = [];
        for (const rep of set.representations) {
          const track = this.#track(period, set, rep);
          let init: SegmentLocation | null = null;
          if (rep.init && !track.init) {
            track.init = { url: rep.init.url, status: 'new', bytes: 0 };
            if (this.#claim(rep.init.url)) {
              init = rep.init;
              files.push(track.init);
            }
          }
          const segments: MediaSegment[] = [];
          for (const segment of rep.segments) {
            if (segment.end <= window.start || segment.start >= window.end) continue;
            if (track.segments.has(segment.time)) continue;
            const file: LiveFile = { url: segment.url, status: 'new', bytes: 0, segment };
            track.segments.set(segment.time, file);
            if (!this.#claim(segment.url)) continue;
            segments.push(segment);
            files.push(file);
          }
          if (init || segments.length > 0) reps.push({ ...rep, init, segments });
        }
        if (reps.length > 0) sets.push({ adaptationSet: set.adaptationSet, representations: reps });
      }
      if (sets.length > 0) periods.push({ period: period.period, adaptationSets: sets });
    }
    return { resolved: { ...resolved, periods }, files };
  }

  /**
   * Whether the last Period's Representations have all listed a segment
   * that reaches the window's end (the recording has everything it waits for).
   */
  static reaches(resolved: ResolvedMpd, end: number): boolean {
    const last = resolved.periods.findLast((period) =>
      period.adaptationSets.some((set) => set.representations.some((rep) => rep.segments.length > 0)),
    );
    if (!last) return false;
    return last.adaptationSets.every((set) =>
      set.representations.every(
        (rep) => (rep.segments.at(-1)?.end ?? Number.NEGATIVE_INFINITY) >= end - 1e-9,
      ),
    );
  }

  /** The files of the recording, in manifest order. */
  files(): LiveFile[] {
    return [...this.#tracks.values()].flatMap((track) => [
      ...(track.init ? [track.init] : []),
      ...track.segments.values(),
    ]);
  }

  /** What was recorded, for the static MPD: the downloaded segments of each Representation, in time order. */
  recorded(): RecordedTrack[] {
    return [...this.#tracks.values()].map(({ init, segments, ...track }) => ({
      ...track,
      init: init?.status === 'done' ? (init.localPath ?? null) : null,
      segments: [...segments.values()]
        .filter((file) => file.status === 'done' && file.segment && file.localPath)
        .map((file) => {
          const { time, duration, start, end } = file.segment as MediaSegment;
          return { time, duration, start, end, path: file.localPath as string };
        })
        .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)),
    }));
  }

  #claim(url: string): boolean {
    if (this.#urls.has(url)) return false;
    this.#urls.add(url);
    return true;
  }

  #track(
    period: ResolvedPeriod,
    set: ResolvedPeriod['adaptationSets'][number],
    rep: ResolvedRepresentation,
  ): Track {
    const periodKey = period.period.id ?? `@${period.period.start}`;
    const key = `${periodKey}\u0000${rep.representation.id}`;
    let track = this.#tracks.get(key);
    if (!track) {
      track = {
        periodKey,
        adaptationSetKey: set.adaptationSet.id ?? `#${set.adaptationSet.index}`,
        period: period.period,
        adaptationSet: set.adaptationSet,
        representation: rep.representation,
        timescale: rep.timescale,
        presentationTimeOffset: rep.presentationTimeOffset,
        init: null,
        segments: new Map(),
      };
      this.#tracks.set(key, track);
    }
    // The newest refresh describes the Representation best (attributes may be added while live).
    track.period = period.period;
    track.adaptationSet = set.adaptationSet;
    track.representation = rep.representation;
    return track;
  }
}

function representations(resolved: ResolvedMpd) {
  return resolved.periods.flatMap((period) =>
    period.adaptationSets.flatMap((set) => set.representations.map((rep) => ({ period, resolved: rep }))),
  );
}
