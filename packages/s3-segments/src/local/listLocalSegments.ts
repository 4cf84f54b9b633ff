import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TimeRange } from '@rec/core';
import { matchSegmentName } from '../layout/matchSegmentName.js';
import { defaultLayout, type SegmentLayout } from '../layout/SegmentLayout.js';
import { directoryPrefix, templatePrefixes } from '../layout/templatePrefixes.js';
import { validateLookback } from '../list/validateLookback.js';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { type Segment, type SegmentKind, segmentKinds } from '../types/Segment.js';
import { clipToWindow } from '../window/clipToWindow.js';
import { validateWindow } from '../window/validateWindow.js';
import { localRoot } from './localRoot.js';

export interface ListLocalSegmentsOptions {
  /** Directory (path or `file://` URL) laid out like the bucket. */
  root: string | URL;
  /** Prefix under the root, e.g. `recordings/cam01`. Default: the root itself. */
  prefix?: string;
  window: TimeRange;
  layout?: SegmentLayout;
  pad?: number;
  lookback?: number;
  kinds?: readonly SegmentKind[];
  signal?: AbortSignal;
}

/**
 * `listSegments()` for a local directory with the same layout: same window
 * selection, same Segment shape (key = path relative to the root with `/`,
 * size from stat, no ETag). Missing directories are an empty listing.
 */
export async function* listLocalSegments(options: ListLocalSegmentsOptions): AsyncGenerator<Segment> {
  const layout = options.layout ?? defaultLayout;
  const { from, to } = validateWindow(options.window, options.pad ?? 0);
  const lookback = validateLookback(options.lookback);
  const root = localRoot(options.root);
  const prefix = (options.prefix ?? '').replace(/^\/+/, '');
  const kinds = segmentKinds.filter((kind) => (options.kinds ?? segmentKinds).includes(kind));
  const first = from - lookback;
  const inRange = (epoch: number) => epoch >= Math.floor(first) && epoch < to;

  for (const kind of kinds) {
    const kindLayout = layout.kinds[kind];
    const directories =
      layout.scan === 'prefix'
        ? await findDirectories(root, prefix, kindLayout.directory, options.signal)
        : kindLayout.template === undefined
          ? [directoryPrefix(prefix, kindLayout.directory)]
          : templatePrefixes(kindLayout.template, { prefix, kind, from: first, to });
    const found: Segment[] = [];
    for (const directory of directories) {
      options.signal?.throwIfAborted();
      for (const entry of await readDirectory(join(root, directory))) {
        if (!entry.isFile()) continue;
        const match = matchSegmentName(layout, kind, entry.name);
        if (match === undefined || !inRange(match.epoch)) continue;
        const key = `${directory}${entry.name}`;
        const segment: Segment = { kind, key, epoch: match.epoch, size: (await stat(join(root, key))).size };
        if (match.codec !== undefined) segment.codec = match.codec;
        found.push(segment);
      }
    }
    found.sort((a, b) => a.epoch - b.epoch || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* clipToWindow(iterate(found), { from, to, lookback });
  }
}

async function* iterate(segments: readonly Segment[]): AsyncGenerator<Segment> {
  yield* segments;
}

async function readDirectory(path: string): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new S3SegmentsError(S3SegmentsErrorCode.LocalIo, `Cannot read directory ${path}`, { cause: error });
  }
}

/** The legacy recursive scan: every directory under the prefix whose path ends with `/<directory>`. */
async function findDirectories(
  root: string,
  prefix: string,
  directory: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    signal?.throwIfAborted();
    if (`/${relative}`.endsWith(`/${directory}/`)) found.push(relative);
    for (const entry of await readDirectory(join(root, relative))) {
      if (entry.isDirectory()) await walk(`${relative}${entry.name}/`);
    }
  };
  await walk(prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`);
  return found.sort();
}
