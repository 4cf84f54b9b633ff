import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { expectInteger, type TimeRange } from '@rec/core';
import PQueue from 'p-queue';
import { matchSegmentName } from '../layout/matchSegmentName.js';
import { defaultLayout, type SegmentLayout } from '../layout/SegmentLayout.js';
import { directoryPrefix, templatePrefixes } from '../layout/templatePrefixes.js';
import { AttemptLog } from '../s3/AttemptLog.js';
import { observeAttempts } from '../s3/observeAttempts.js';
import { toS3SegmentsError } from '../s3/toS3SegmentsError.js';
import type { S3Stats } from '../types/S3Stats.js';
import { type Segment, type SegmentKind, segmentKinds } from '../types/Segment.js';
import { clipToWindow } from '../window/clipToWindow.js';
import { validateWindow } from '../window/validateWindow.js';
import { validateLookback } from './validateLookback.js';

export interface ListSegmentsOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix of one camera, e.g. `recordings/cam01` (a trailing `/` is optional). */
  prefix: string;
  /** Unix seconds. */
  window: TimeRange;
  /** Default: the legacy layout (`00/video/<epoch>.h264`, `00/audio/<epoch>.wav`). */
  layout?: SegmentLayout;
  /** Seconds added on both sides of the window. Default 0 (the legacy script used 60). */
  pad?: number;
  /** How far before `start - pad` to look for the segment covering it. Default 60 s. */
  lookback?: number;
  /** Which kinds to list. Default both. */
  kinds?: readonly SegmentKind[];
  /** ListObjectsV2 `MaxKeys` (1-1000). Default 1000. */
  pageSize?: number;
  signal?: AbortSignal;
  /** Receives request and key counts. */
  stats?: S3Stats;
}

/**
 * Lists the segments of a time window, video then audio, each in epoch order:
 * the segment starting last at or before `start - pad` (searched back to
 * `lookback`) and every segment starting before `end + pad`.
 *
 * Cost grows with the window, not the bucket: with epoch-sorted keys it lists
 * `<prefix>/<directory>/` from `StartAfter = <directory>/<first epoch>` and stops
 * paging at the first key past the window; with a key template, only the
 * hour (day...) prefixes that overlap the window are listed. Keys that do not
 * match the layout are skipped and counted in `stats.keysSkipped`. The
 * directories of both kinds are listed concurrently (8 at a time); the
 * order of the result does not depend on which answer comes first.
 *
 * Pass the result through `selectWindow()` for gaps, overlaps and the final
 * selection. Errors are `S3SegmentsError` (`NO_SUCH_BUCKET`, `INVALID_CREDENTIALS`,
 * `ACCESS_DENIED`, `NETWORK`, ...); aborting rejects with `signal.reason`.
 */
export async function* listSegments(options: ListSegmentsOptions): AsyncGenerator<Segment> {
  const layout = options.layout ?? defaultLayout;
  const { from, to } = validateWindow(options.window, options.pad ?? 0);
  const lookback = validateLookback(options.lookback);
  const kinds = segmentKinds.filter((kind) => (options.kinds ?? segmentKinds).includes(kind));
  const pageSize = expectInteger('pageSize', options.pageSize ?? 1000, 1, 1000);
  const bounds = { from, to, lookback };
  const lister: Lister = { options, layout, pageSize, signal: options.signal };

  if (layout.scan === 'prefix') {
    // The legacy path: one recursive listing of the whole prefix, every kind from it.
    const base =
      options.prefix === '' || options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`;
    const found = new Map<SegmentKind, Segment[]>(kinds.map((kind) => [kind, []]));
    for await (const object of listObjects(lister, base, undefined)) {
      const segment = matchAnyKind(lister, kinds, object, (kind) => `/${layout.kinds[kind].directory}/`);
      if (segment === undefined) skip(options.stats);
      else found.get(segment.kind)?.push(segment);
    }
    for (const kind of kinds) yield* clipToWindow(sorted(found.get(kind) ?? []), bounds);
    return;
  }

  // StartAfter compares strings: only sound for 10-digit epochs (2001-2286), which
  // also bound 13-digit millisecond names correctly (same leading digits).
  const first = Math.floor(from - lookback);
  const sortable = layout.sortedKeys && first >= 1e9 && first < 1e10;
  const jobs = kinds.flatMap((kind) => {
    const kindLayout = layout.kinds[kind];
    const directories =
      kindLayout.template === undefined
        ? [directoryPrefix(options.prefix, kindLayout.directory)]
        : templatePrefixes(kindLayout.template, { prefix: options.prefix, kind, from: first, to });
    return directories.map((directory) => ({ kind, directory }));
  });

  // Every directory of every kind is listed at once (a few at a time), each
  // into its own list; they are read back in the layout's order (video then
  // audio, directories in time order), so the result never depends on which
  // answer came first. The first failure, the caller's abort, or the caller
  // leaving the loop stops the others.
  //
  // Nothing listens on the shared signal per listing: a queued listing only
  // checks it when it starts, and each running one gets a signal of its own
  // (AbortSignal.any follows its sources without listeners), on which the
  // SDK adds its one listener per request. Listening on the shared signal
  // from each of them (p-queue's per queued listing, the SDK's per request)
  // passed Node's 10 from 11 directories (hours x kinds) on:
  // MaxListenersExceededWarning.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const queue = new PQueue({ concurrency: listConcurrency });
  let failure: unknown;
  const listings = jobs.map(({ kind, directory }) => {
    const listing = queue.add(() => {
      signal.throwIfAborted();
      const own = AbortSignal.any([signal]);
      return listDirectory({ ...lister, signal: own }, kind, directory, sortable ? first : undefined, to);
    });
    listing.catch((error: unknown) => {
      if (failure === undefined && !signal.aborted) failure = error;
      stop.abort(error);
    });
    return { kind, listing };
  });
  try {
    for (const kind of kinds) {
      const found: Segment[] = [];
      for (const job of listings) {
        if (job.kind !== kind) continue;
        try {
          // One by one: a days-long window's keys would overflow a spread's arguments.
          for (const segment of (await job.listing) ?? []) found.push(segment);
        } catch (error) {
          options.signal?.throwIfAborted();
          throw failure ?? error;
        }
      }
      yield* clipToWindow(sortable ? iterate(found) : sorted(found), bounds);
    }
  } finally {
    // The listings not started yet never start.
    queue.clear();
    stop.abort();
  }
}

/** Directory listings in flight at once (per `listSegments` call). */
const listConcurrency = 8;

/**
 * The segments of one kind in one directory. With sorted keys (`first`
 * given) it starts after `<directory><namePrefix><first>` and stops paging at
 * the first segment starting at or after `to`; otherwise it lists the
 * directory whole.
 */
async function listDirectory(
  lister: Lister,
  kind: SegmentKind,
  directory: string,
  first: number | undefined,
  to: number,
): Promise<Segment[]> {
  const startAfter = first === undefined ? undefined : `${directory}${lister.layout.namePrefix}${first}`;
  const found: Segment[] = [];
  for await (const object of listObjects(lister, directory, startAfter)) {
    const name = object.key.slice(directory.length);
    const segment = name.includes('/') ? undefined : toSegment(lister.layout, kind, object, name);
    if (segment === undefined) skip(lister.options.stats);
    else if (first !== undefined && segment.epoch >= to) break;
    else found.push(segment);
  }
  return found;
}

interface Lister {
  options: ListSegmentsOptions;
  layout: SegmentLayout;
  pageSize: number;
  /** Aborts this listing (the caller's signal, or a failure of a listing beside it). */
  signal: AbortSignal | undefined;
}

interface ListedObject {
  key: string;
  size: number;
  etag: string | undefined;
  lastModified: Date | undefined;
}

/** Pages through ListObjectsV2 (continuation tokens) until the caller stops iterating. */
async function* listObjects(
  lister: Lister,
  prefix: string,
  startAfter: string | undefined,
): AsyncGenerator<ListedObject> {
  const { client, bucket, stats } = lister.options;
  const { signal } = lister;
  let continuationToken: string | undefined;
  do {
    signal?.throwIfAborted();
    const command = new ListObjectsV2Command({
      Bucket: bucket,
      Prefix: prefix,
      MaxKeys: lister.pageSize,
      ContinuationToken: continuationToken,
      // Only the first page starts after a key; the token carries the position from then on.
      StartAfter: continuationToken === undefined ? startAfter : undefined,
    });
    const attempts = new AttemptLog(stats);
    let page: ListObjectsV2CommandOutput;
    try {
      page = await client.send(observeAttempts(command, 'ListObjectsV2', attempts), { abortSignal: signal });
    } catch (error) {
      signal?.throwIfAborted();
      throw toS3SegmentsError(error, { bucket, key: prefix, action: 'listing', attempts });
    }
    for (const item of page.Contents ?? []) {
      if (item.Key === undefined) continue;
      if (stats) stats.keysListed++;
      yield {
        key: item.Key,
        size: item.Size ?? 0,
        etag: item.ETag?.replace(/"/g, ''),
        lastModified: item.LastModified,
      };
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
}

function toSegment(
  layout: SegmentLayout,
  kind: SegmentKind,
  object: ListedObject,
  name: string,
): Segment | undefined {
  const match = matchSegmentName(layout, kind, name);
  if (match === undefined) return undefined;
  const segment: Segment = { kind, key: object.key, epoch: match.epoch, size: object.size };
  if (object.etag !== undefined) segment.etag = object.etag;
  if (object.lastModified !== undefined) segment.lastModified = object.lastModified;
  if (match.codec !== undefined) segment.codec = match.codec;
  return segment;
}

function matchAnyKind(
  lister: Lister,
  kinds: readonly SegmentKind[],
  object: ListedObject,
  marker: (kind: SegmentKind) => string,
): Segment | undefined {
  const slash = object.key.lastIndexOf('/');
  const directory = object.key.slice(0, slash + 1);
  const name = object.key.slice(slash + 1);
  for (const kind of kinds) {
    if (!`/${directory}`.endsWith(marker(kind))) continue;
    const segment = toSegment(lister.layout, kind, object, name);
    if (segment !== undefined) return segment;
  }
  return undefined;
}

function skip(stats: S3Stats | undefined): void {
  if (stats) stats.keysSkipped++;
}

async function* sorted(segments: Segment[]): AsyncGenerator<Segment> {
  segments.sort((a, b) => a.epoch - b.epoch || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  yield* segments;
}

async function* iterate(segments: readonly Segment[]): AsyncGenerator<Segment> {
  yield* segments;
}
