import type { AdaptationSet, Mpd, Period, Representation } from '@rec/mpd';
import { attributeText, escapeAttribute, serializeElement } from './serializeXml.js';

/** One downloaded media segment of a recorded Representation. */
export interface RecordedSegment {
  /** Media time in the timescale (`S@t` of the source timeline). */
  time: bigint;
  /** In the timescale. */
  duration: number;
  /** Presentation time in seconds on the source's timeline. */
  start: number;
  end: number;
  /** Where the file is, relative to the static MPD's directory, `/`-separated, as a URL reference. */
  path: string;
}

/** What was recorded of one Representation, in the source manifest's terms (its last refresh). */
export interface RecordedTrack {
  /** Stable across refreshes: the Period's id, else its start. */
  periodKey: string;
  /** Stable across refreshes: the AdaptationSet's id, else its position. */
  adaptationSetKey: string;
  period: Period;
  adaptationSet: AdaptationSet;
  representation: Representation;
  timescale: number;
  presentationTimeOffset: bigint;
  /** The init segment's path relative to the static MPD's directory, or `null`. */
  init: string | null;
  /** Downloaded segments in time order; gaps (failed segments) allowed. */
  segments: RecordedSegment[];
}

/** Elements the static MPD writes itself: addressing and BaseURLs point at the files in the output directory. */
const REPLACED = new Set(['BaseURL', 'SegmentBase', 'SegmentList', 'SegmentTemplate', 'Representation']);

const DASH_NAMESPACE = 'urn:mpeg:dash:schema:mpd:2011';
/** SegmentList is not part of the isoff-live profile (23009-1 8.4.2); the full profile allows every addressing mode. */
const FULL_PROFILE = 'urn:mpeg:dash:profile:full:2011';

/** Seconds as an xs:duration, to the millisecond (`PT10.005S`). */
export function xsDuration(seconds: number): string {
  return `PT${Number(Math.max(0, seconds).toFixed(3))}S`;
}

/**
 * A static MPD (ISO/IEC 23009-1 5.3.1.2, `@type="static"`) that plays what
 * a live recording downloaded from the directory it sits in: one Period
 * per recorded source Period, the recorded Representations with the
 * attributes and descriptors of the source (Role, AudioChannelConfiguration,
 * ContentProtection...), and for each a SegmentList (5.3.9.3) naming the
 * local files, with a SegmentTimeline (5.3.9.6) carrying their exact media
 * times, so gaps and uneven audio segments stay where they were.
 *
 * The presentation starts at the earliest recorded segment: each Period's
 * `@start` and each Representation's `@presentationTimeOffset` are moved
 * so every segment keeps its place relative to the others (audio that
 * starts 20 ms after video still does), and `@mediaPresentationDuration`
 * runs to the latest segment end. Nothing refers to availabilityStartTime
 * or the wall clock. Tracks without segments are left out.
 */
export function staticMpdText(
  source: Mpd,
  tracks: readonly RecordedTrack[],
): { text: string; duration: number } {
  const recorded = tracks.filter((track) => track.segments.length > 0);
  const firstStart = (track: RecordedTrack) => track.segments[0]?.start ?? 0;
  const lastEnd = (track: RecordedTrack) => track.segments.at(-1)?.end ?? 0;
  const origin = Math.min(...recorded.map(firstStart));
  const duration = recorded.length === 0 ? 0 : Math.max(...recorded.map(lastEnd)) - origin;

  const periods = new Map<string, Map<string, RecordedTrack[]>>();
  for (const track of recorded) {
    let sets = periods.get(track.periodKey);
    if (!sets) {
      sets = new Map();
      periods.set(track.periodKey, sets);
    }
    const set = sets.get(track.adaptationSetKey);
    if (set) set.push(track);
    else sets.set(track.adaptationSetKey, [track]);
  }

  const namespaces = Object.fromEntries(
    Object.entries(source.element.attributes).filter(([name]) => name.startsWith('xmlns:')),
  );
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<MPD xmlns="${DASH_NAMESPACE}"${attributeText(namespaces)} profiles="${FULL_PROFILE}" type="static"` +
      ` mediaPresentationDuration="${xsDuration(duration)}" minBufferTime="${xsDuration(source.minBufferTime ?? 2)}">`,
  ];
  for (const sets of periods.values()) {
    const periodTracks = [...sets.values()].flat();
    const periodOrigin = Math.min(...periodTracks.map(firstStart));
    const { period } = periodTracks[0] as RecordedTrack;
    const id = period.id === null ? '' : ` id="${escapeAttribute(period.id)}"`;
    lines.push(`  <Period${id} start="${xsDuration(periodOrigin - origin)}">`);
    for (const setTracks of sets.values()) {
      const { adaptationSet } = setTracks[0] as RecordedTrack;
      lines.push(`    <AdaptationSet${attributeText(adaptationSet.element.attributes)}>`);
      lines.push(...keptChildren(adaptationSet.element.children, '      '));
      for (const track of setTracks) lines.push(...representationLines(track, periodOrigin));
      lines.push('    </AdaptationSet>');
    }
    lines.push('  </Period>');
  }
  lines.push('</MPD>', '');
  return { text: lines.join('\n'), duration };
}

function keptChildren(children: AdaptationSet['element']['children'], indent: string): string[] {
  return children
    .filter((child) => !REPLACED.has(child.localName))
    .map((child) => serializeElement(child, indent));
}

function representationLines(track: RecordedTrack, periodOrigin: number): string[] {
  const { representation, timescale, segments } = track;
  const periodStart = track.period.start ?? 0;
  // The Period now starts at `periodOrigin` instead of `periodStart`: media
  // time `pto` moves by the difference so that
  // start = Period@start + (t - pto) / timescale (5.3.9.2) is unchanged.
  const pto = track.presentationTimeOffset + BigInt(Math.round((periodOrigin - periodStart) * timescale));
  const lines = [
    `      <Representation${attributeText(representationAttributes(representation))}>`,
    ...keptChildren(representation.element.children, '        '),
    `        <SegmentList timescale="${timescale}" presentationTimeOffset="${pto}">`,
  ];
  if (track.init !== null)
    lines.push(`          <Initialization sourceURL="${escapeAttribute(track.init)}"/>`);
  lines.push('          <SegmentTimeline>');
  for (const run of timelineRuns(segments)) {
    const t = run.explicit ? ` t="${run.time}"` : '';
    const r = run.repeat > 0 ? ` r="${run.repeat}"` : '';
    lines.push(`            <S${t} d="${run.duration}"${r}/>`);
  }
  lines.push('          </SegmentTimeline>');
  for (const segment of segments)
    lines.push(`          <SegmentURL media="${escapeAttribute(segment.path)}"/>`);
  lines.push('        </SegmentList>', '      </Representation>');
  return lines;
}

/** The Representation's own attributes; `@id` and `@bandwidth` are mandatory (5.3.5.2), so a made-up id is written. */
function representationAttributes(representation: Representation): Record<string, string> {
  return {
    ...representation.element.attributes,
    id: representation.id,
    bandwidth: String(representation.bandwidth),
  };
}

interface TimelineRun {
  time: bigint;
  duration: number;
  repeat: number;
  /** `S@t` is written: the first entry, and after a gap (a segment that was not recorded). */
  explicit: boolean;
}

/** Consecutive segments of one duration as one `S` with `@r` (23009-1 5.3.9.6.1). */
function timelineRuns(segments: readonly RecordedSegment[]): TimelineRun[] {
  const runs: TimelineRun[] = [];
  let next: bigint | undefined;
  for (const segment of segments) {
    const last = runs.at(-1);
    if (last && segment.time === next && segment.duration === last.duration) last.repeat++;
    else
      runs.push({
        time: segment.time,
        duration: segment.duration,
        repeat: 0,
        explicit: segment.time !== next,
      });
    next = segment.time + BigInt(segment.duration);
  }
  return runs;
}
