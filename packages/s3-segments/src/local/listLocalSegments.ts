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
 * size from stat, no ETag). A root that does not exist (or is no directory)
 * throws `LOCAL_ROOT_NOT_FOUND` naming it; missing directories under it are
 * an empty listing.
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

  await checkRoot(root);

  // Kinds and directories are read concurrently; each kind is sorted, so the order is fixed.
  const listKind = async (kind: SegmentKind): Promise<Segment[]> => {
    const kindLayout = layout.kinds[kind];
    const directories =
      layout.scan === 'prefix'
        ? await findDirectories(root, prefix, kindLayout.directory, options.signal)
        : kindLayout.template === undefined
          ? [directoryPrefix(prefix, kindLayout.directory)]
          : templatePrefixes(kindLayout.template, { prefix, kind, from: first, to });
    const found = await Promise.all(
      directories.map(async (directory) => {
        options.signal?.throwIfAborted();
        const matched = (await readDirectory(join(root, directory))).flatMap((entry) => {
          const match = entry.isFile() ? matchSegmentName(layout, kind, entry.name) : undefined;
          return match !== undefined && inRange(match.epoch) ? [{ name: entry.name, match }] : [];
        });
        const segments = await Promise.all(
          matched.map(async ({ name, match }): Promise<Segment | undefined> => {
            const key = `${directory}${name}`;
            const size = await fileSize(join(root, key));
            return size === undefined
              ? undefined
              : { kind, key, epoch: match.epoch, size, codec: match.codec };
          }),
        );
        return segments.filter((segment) => segment !== undefined);
      }),
    );
    return found.flat().sort((a, b) => a.epoch - b.epoch || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
  const byKind = await Promise.all(kinds.map(listKind));
  for (const segments of byKind) yield* clipToWindow(iterate(segments), { from, to, lookback });
}

/**
 * The root must be a directory: a mistyped `--source` is said as such, not
 * reported as a window without segments. (A missing prefix or kind
 * directory under it is an empty listing, as an empty S3 prefix is.)
 */
async function checkRoot(root: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new S3SegmentsError(S3SegmentsErrorCode.LocalIo, `Cannot read the segment directory ${root}`, {
        cause: error,
      });
    }
    throw new S3SegmentsError(
      S3SegmentsErrorCode.LocalRootNotFound,
      `The segment directory ${root} does not exist`,
      { cause: error },
    );
  }
  if (!isDirectory) {
    throw new S3SegmentsError(
      S3SegmentsErrorCode.LocalRootNotFound,
      `The segment source ${root} is not a directory`,
    );
  }
}

/** The size of a listed file; `undefined` when it went away since the directory was read. */
async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new S3SegmentsError(S3SegmentsErrorCode.LocalIo, `Cannot read ${path}`, { cause: error });
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
