import {
  formatByteRange,
  type ListSegmentsOptions,
  listRepresentationSegments,
  type MediaSegment,
  type Mpd,
  parseMpd,
  type SegmentListing,
} from '../../src/index.js';

export const MANIFEST_URL = 'https://cdn.example.com/vod/manifest.mpd';

export interface Listed extends SegmentListing {
  period: number;
  id: string;
}

/** Parses `xml` and lists every Representation's segments. */
export function resolveText(
  xml: string,
  options: ListSegmentsOptions & { url?: string } = {},
): { mpd: Mpd; representations: Listed[] } {
  const mpd = parseMpd(xml, { url: options.url ?? MANIFEST_URL });
  const representations: Listed[] = [];
  for (const period of mpd.periods) {
    for (const set of period.adaptationSets) {
      for (const representation of set.representations) {
        representations.push({
          period: period.index,
          id: representation.id,
          ...listRepresentationSegments(mpd, period, representation, options),
        });
      }
    }
  }
  return { mpd, representations };
}

/** What a user checks of a segment: `[url, range, time, duration]` (range as `first-last`, or null). */
export type Row = [url: string, range: string | null, time: bigint, duration: number];

export const rows = (segments: readonly MediaSegment[]): Row[] =>
  segments.map((segment) => [
    segment.url,
    segment.range ? formatByteRange(segment.range) : null,
    segment.time,
    segment.duration,
  ]);

/** The one Representation with `id` (in `period`, default the first that has it). */
export function only(listed: Listed[], id: string, period?: number): Listed {
  const found = listed.filter((item) => item.id === id && (period === undefined || item.period === period));
  if (found.length !== 1) throw new Error(`expected one Representation ${id}, found ${found.length}`);
  return found[0] as Listed;
}

/** An MPD around `body` (Periods), static unless `attributes` say otherwise. */
export function mpdText(body: string, attributes = 'type="static"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" ${attributes}>
${body}
</MPD>`;
}
