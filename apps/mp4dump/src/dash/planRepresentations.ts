import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ByteRange,
  localPathFor,
  type Mpd,
  parseMpd,
  type Representation,
  resolveMpd,
  type SegmentLocation,
} from '@rec/mpd';
import { Mp4DumpError, Mp4DumpErrorCode } from '../Mp4DumpError.js';
import type { ManifestLocation } from './findManifest.js';
import { readFileRange } from './readFileRange.js';

/** One init or media segment as a file (or a byte range of one) in the DASH directory. */
export interface SegmentFile {
  kind: 'init' | 'media';
  /** `$Number$` when the MPD numbers the segment, else its place among the media segments (from 1). */
  number?: number;
  /** The local path. */
  path: string;
  /** The path relative to the directory, as headers and messages show it. */
  name: string;
  /** The bytes of the file that are the segment (both inclusive; `last` absent: to the end). */
  range?: ByteRange;
}

/** A Representation of the MPD as mp4dump works on it. */
export interface PlannedRepresentation {
  id: string;
  /**
   * Base name of its `.dump` / `.mp4`: the id made safe as a file name,
   * `.p<N>` after it with several Periods, `~2` after a name taken already
   * (compared without case, for case-insensitive file systems).
   */
  name: string;
  periodIndex: number;
  contentType: string | null;
  mimeType: string | null;
  codecs: string | null;
  /** Init segment first (when the MPD has one), then the media segments in order. */
  files: SegmentFile[];
  /** Why the MPD's segments could not be listed (the Representation fails, the others go on). */
  error?: Error;
}

export interface RepresentationPlan {
  mpd: Mpd;
  representations: PlannedRepresentation[];
}

/**
 * Parses the MPD and lists, for each selected Representation, its init and
 * media segment files in the directory (SegmentTemplate, SegmentTimeline,
 * SegmentList, and SegmentBase with its sidx read from the local file).
 * Each Representation is resolved on its own, so that one whose index
 * cannot be read fails alone. Segment URLs map to files under the
 * manifest's directory as `@rec/mpd`'s `localPathFor` maps them (dashget's
 * layout; for a file: manifest, the path relative to its directory); one
 * that would leave it is refused there (`MPD_UNSAFE_URL`).
 */
export async function planRepresentations(
  manifest: ManifestLocation,
  options: { reps?: readonly string[]; signal?: AbortSignal },
): Promise<RepresentationPlan> {
  const manifestUrl = pathToFileURL(manifest.path).href;
  const mpd = parseMpd(await readFile(manifest.path), { url: manifestUrl });
  const representations = mpd.periods.flatMap((period) =>
    period.adaptationSets.flatMap((set) =>
      set.representations.map((representation) => ({ period, set, representation })),
    ),
  );
  const known = new Set(representations.map(({ representation }) => representation.id));
  const unknown = (options.reps ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new Mp4DumpError(
      Mp4DumpErrorCode.UnknownRepresentation,
      `no Representation ${unknown.map((id) => JSON.stringify(id)).join(', ')} in ${manifest.path} ` +
        `(it has ${[...known].map((id) => JSON.stringify(id)).join(', ') || 'none'})`,
      { file: manifest.path },
    );
  }
  const wanted = options.reps === undefined || options.reps.length === 0 ? undefined : new Set(options.reps);
  const severalPeriods = mpd.periods.length > 1;
  const toFile = (location: SegmentLocation) => localFile(location.url, manifestUrl, manifest.dir);
  const loadRange = async (location: SegmentLocation, signal?: AbortSignal) =>
    readFileRange((await toFile(location)).path, location.range, signal);

  const planned: PlannedRepresentation[] = [];
  const names = new Set<string>();
  for (const { period, representation } of representations) {
    if (wanted && !wanted.has(representation.id)) continue;
    // Two Representations with one id (an invalid MPD, or ids that only differ in unsafe characters) keep two files.
    const base = `${safeFileName(representation.id)}${severalPeriods ? `.p${period.index}` : ''}`;
    let name = base;
    for (let n = 2; names.has(name.toLowerCase()); n++) name = `${base}~${n}`;
    names.add(name.toLowerCase());
    const plan: PlannedRepresentation = {
      id: representation.id,
      name,
      periodIndex: period.index,
      contentType: representation.contentType,
      mimeType: representation.mimeType,
      codecs: representation.codecs,
      files: [],
    };
    planned.push(plan);
    try {
      const resolved = await resolveOne(mpd, period.index, representation, loadRange, options.signal);
      if (resolved.init)
        plan.files.push({ kind: 'init', ...(await toFile(resolved.init)), range: resolved.init.range });
      for (const [index, segment] of resolved.segments.entries()) {
        plan.files.push({
          kind: 'media',
          number: segment.number ?? index + 1,
          ...(await toFile(segment)),
          range: segment.range,
        });
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      plan.error = error instanceof Error ? error : new Error(String(error));
    }
  }
  return { mpd, representations: planned };
}

/** One Representation of one Period, resolved (dynamic MPDs as at their `publishTime`, the moment they describe). */
async function resolveOne(
  mpd: Mpd,
  periodIndex: number,
  representation: Representation,
  loadRange: (location: SegmentLocation, signal?: AbortSignal) => Promise<Uint8Array>,
  signal: AbortSignal | undefined,
) {
  const resolved = await resolveMpd(mpd, {
    select: { ids: [representation.id] },
    loadRange,
    signal,
    now: mpd.type === 'dynamic' ? (mpd.publishTime ?? undefined) : undefined,
  });
  const found = resolved.periods
    .find(({ period }) => period.index === periodIndex)
    ?.adaptationSets.flatMap((set) => set.representations)
    .find((candidate) => candidate.representation === representation);
  if (!found) throw new Error(`Representation ${representation.id} was not resolved`);
  if (found.index) {
    throw new Mp4DumpError(
      Mp4DumpErrorCode.MissingSegment,
      `the index of Representation ${representation.id} was not read`,
    );
  }
  return found;
}

/**
 * The local file of a segment URL: `localPathFor`'s path under the
 * directory (percent-encoded as the URL writes it, as dashget saves
 * files), or the decoded path when only that exists (a packager such as
 * ffmpeg names its files with the characters the URL escapes).
 */
async function localFile(
  url: string,
  manifestUrl: string,
  dir: string,
): Promise<{ path: string; name: string }> {
  const name = localPathFor(url, manifestUrl);
  const path = join(dir, ...name.split('/'));
  let decoded: string | undefined;
  try {
    decoded = name.split('/').map(decodeURIComponent).join('/');
  } catch {
    // Not valid percent-encoding: the encoded name is the only candidate.
  }
  if (decoded !== undefined && decoded !== name) {
    const decodedPath = join(dir, ...decoded.split('/'));
    const exists = (file: string) =>
      access(file).then(
        () => true,
        () => false,
      );
    if (!(await exists(path)) && (await exists(decodedPath))) return { path: decodedPath, name: decoded };
  }
  return { path, name };
}

/** A Representation id as a file name: characters unsafe in names (and a leading dot) percent-encoded. */
function safeFileName(id: string): string {
  const name = id.replace(
    /[^A-Za-z0-9._~+=@,-]|^\./g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return name === '' ? '%00' : name;
}
