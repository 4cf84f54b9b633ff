import { type ByteRange, localPathFor, type ResolvedMpd, type SegmentLocation } from '@rec/mpd';
import { DashgetError } from '../DashgetError.js';
import type { DownloadKind, DownloadPlanItem } from './DownloadPlanItem.js';

interface Resource {
  url: string;
  fallbackUrls?: string[];
  /** undefined: the whole resource is wanted; else every range wanted of it. */
  ranges: ByteRange[] | undefined;
  representationId: string;
  kind: DownloadKind;
  segments: number;
}

/**
 * The files to fetch for a resolved MPD: every selected Representation's
 * init, index and media segments, one item per resource (see
 * `DownloadPlanItem` for byte ranges), in manifest order, each with its
 * local path (`localPathFor`: the URL path relative to the manifest's
 * directory, other hosts under a host-named folder). Throws `MpdError`
 * `MPD_UNSAFE_URL` for a URL that would leave the output directory or has a
 * scheme other than http(s) (before anything is written), and
 * `DASHGET_PATH_COLLISION` when two URLs map to one file.
 */
export function planDownload(
  resolved: ResolvedMpd,
  options: { manifestUrl?: string } = {},
): DownloadPlanItem[] {
  const manifestUrl = options.manifestUrl ?? resolved.mpd.manifestUrl;
  const resources = new Map<string, Resource>();
  const add = (location: SegmentLocation, representationId: string, kind: DownloadKind, segments: number) => {
    const known = resources.get(location.url);
    if (known === undefined) {
      const resource: Resource = {
        url: location.url,
        ranges: location.range ? [location.range] : undefined,
        representationId,
        kind,
        segments,
      };
      if (location.fallbackUrls) resource.fallbackUrls = location.fallbackUrls;
      resources.set(location.url, resource);
      return;
    }
    if (known.kind !== 'media') known.kind = kind;
    known.segments += segments;
    if (location.range === undefined) known.ranges = undefined;
    else known.ranges?.push(location.range);
  };

  for (const period of resolved.periods) {
    for (const set of period.adaptationSets) {
      for (const representation of set.representations) {
        const id = representation.representation.id;
        if (representation.init) add(representation.init, id, 'init', 0);
        const info = representation.representation.segmentInfo;
        // SegmentBase's sidx sits in the media file: its bytes are wanted too.
        if (representation.index) add(representation.index, id, 'index', 0);
        else if (info.mode === 'base' && info.indexRange && representation.segments[0]) {
          add({ ...representation.segments[0], range: info.indexRange }, id, 'index', 0);
        }
        for (const segment of representation.segments) {
          add(segment, id, 'media', 1);
          // SegmentURL@index, a SegmentTemplate @index: each Media Segment's Index Segment.
          if (segment.index) add(segment.index, id, 'index', 0);
        }
      }
    }
  }

  const byPath = new Map<string, string>();
  const items: DownloadPlanItem[] = [];
  for (const resource of resources.values()) {
    const localPath = localPathFor(resource.url, manifestUrl);
    const other = byPath.get(localPath);
    if (other !== undefined) {
      throw new DashgetError(
        'DASHGET_PATH_COLLISION',
        `${shown(resource.url)} and ${shown(other)} would both be saved as ${localPath}`,
      );
    }
    byPath.set(localPath, resource.url);
    const item: DownloadPlanItem = {
      url: resource.url,
      localPath,
      representationId: resource.representationId,
      kind: resource.kind,
      segments: resource.segments,
    };
    if (resource.fallbackUrls) item.fallbackUrls = resource.fallbackUrls;
    const span = spanOf(resource.ranges);
    if (span) item.range = span;
    items.push(item);
  }
  return items;
}

/**
 * The bytes to fetch of a resource wanted at `ranges`: none (the whole
 * resource) when they start at byte 0 or one of them runs to the end,
 * else first wanted byte to last (the bytes between come along: one
 * request instead of one per range, and the file stays one file).
 */
function spanOf(ranges: ByteRange[] | undefined): ByteRange | undefined {
  if (ranges === undefined || ranges.length === 0) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const range of ranges) {
    if (range.last === undefined) return undefined;
    first = Math.min(first, range.first);
    last = Math.max(last, range.last);
  }
  return first === 0 ? undefined : { first, last };
}

function shown(url: string): string {
  return url.split(/[?#]/)[0] ?? '';
}
