import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isRecError, makeProgress, type ProgressListener } from '@rec/core';
import type { DumpOptions } from '../dump/index.js';
import { Mp4DumpError, Mp4DumpErrorCode } from '../Mp4DumpError.js';
import { concatRepresentation } from './concatRepresentation.js';
import { dumpRepresentation, segmentLabel } from './dumpRepresentation.js';
import { findManifest } from './findManifest.js';
import { type MeasuredSegment, measureSegments } from './measureSegments.js';
import { type PlannedRepresentation, planRepresentations } from './planRepresentations.js';
import { sniffContainer } from './sniffContainer.js';

export interface DashDumpOptions {
  /** A DASH directory, or its MPD. */
  target: string;
  reps?: readonly string[];
  dump: DumpOptions;
  concat: boolean;
  signal?: AbortSignal;
  /** Segments dumped so far, of all the representations to dump. */
  onProgress?: ProgressListener;
}

export interface RepresentationSummary {
  id: string;
  contentType: string | null;
  mimeType: string | null;
  codecs: string | null;
  status: 'dumped' | 'skipped' | 'failed';
  /** Why it was skipped, or why it failed. */
  reason?: string;
  /** Media segments (the init segment is counted in `bytes` and `boxes`, not here). */
  segments: number;
  init: boolean;
  /** Bytes of the init and media segments. */
  bytes: number;
  boxes: number;
  /** Damaged segments, plus 1 when the representation failed. */
  errors: number;
  /** The `.dump` written. */
  dump?: string;
  /** The `.mp4` written (`--concat`). */
  concat?: string;
}

export interface DashSummary {
  manifest: string;
  dir: string;
  representations: RepresentationSummary[];
}

/** Representation of a mime type that is not ISO-BMFF (WebM, MPEG-TS, WebVTT/TTML as plain files, images). */
const isMp4MimeType = (mimeType: string) => /^(video|audio|application|text)\/mp4\b/i.test(mimeType);

/**
 * DASH mode: finds the MPD, and for each selected Representation that is
 * fMP4 writes `<dir>/<name>.dump` (and with `concat` `<dir>/<name>.mp4`).
 * A Representation whose mime type or first bytes are not ISO-BMFF is
 * skipped, saying why; one whose segments cannot be listed or whose files
 * are missing fails, and the others go on. Resolves with the summary
 * whatever failed; `failureOf(summary)` says whether the run failed.
 */
export async function dumpDash(options: DashDumpOptions): Promise<DashSummary> {
  const { signal } = options;
  const manifest = await findManifest(options.target);
  const plan = await planRepresentations(manifest, { reps: options.reps, signal });
  const summary: DashSummary = { manifest: manifest.path, dir: manifest.dir, representations: [] };

  const work: { planned: PlannedRepresentation; row: RepresentationSummary; segments: MeasuredSegment[] }[] =
    [];
  for (const planned of plan.representations) {
    signal?.throwIfAborted();
    const row: RepresentationSummary = {
      id: planned.id,
      contentType: planned.contentType,
      mimeType: planned.mimeType,
      codecs: planned.codecs,
      status: 'dumped',
      segments: planned.files.filter((file) => file.kind === 'media').length,
      init: planned.files[0]?.kind === 'init',
      bytes: 0,
      boxes: 0,
      errors: 0,
    };
    summary.representations.push(row);
    const fail = (error: unknown) => failRow(row, error);
    if (planned.mimeType !== null && !isMp4MimeType(planned.mimeType)) {
      row.status = 'skipped';
      row.reason = `${planned.mimeType}${planned.codecs ? ` (${planned.codecs})` : ''} is not fMP4`;
      continue;
    }
    if (planned.error) {
      fail(planned.error);
      continue;
    }
    if (planned.files.length === 0) {
      row.status = 'skipped';
      row.reason = 'the MPD lists no segment for it';
      continue;
    }
    let segments: MeasuredSegment[];
    try {
      segments = await measureSegments(planned.files);
    } catch (error) {
      fail(error);
      continue;
    }
    row.bytes = segments.reduce((sum, segment) => sum + segment.size, 0);
    const first = segments[0] as MeasuredSegment;
    let container: ReturnType<typeof sniffContainer>;
    try {
      container = sniffContainer(await readHead(first));
    } catch (error) {
      fail(ioError(error));
      continue;
    }
    if (container !== 'iso-bmff') {
      row.status = 'skipped';
      row.reason = `${first.name} is ${container === 'unknown' ? 'not ISO-BMFF' : container === 'webm' ? 'WebM' : 'MPEG-TS'}, not fMP4`;
      continue;
    }
    work.push({ planned, row, segments });
  }

  const total = work.reduce((sum, { segments }) => sum + segments.length, 0);
  let done = 0;
  options.onProgress?.(makeProgress(0, total, 'files'));
  for (const { planned, row, segments } of work) {
    signal?.throwIfAborted();
    const dumpPath = join(manifest.dir, `${planned.name}.dump`);
    try {
      const dumped = await dumpRepresentation(
        dumpPath,
        { id: planned.id, manifest: basename(manifest.path) },
        segments,
        { ...options.dump, signal },
        () => options.onProgress?.(makeProgress(++done, total, 'files')),
      );
      row.dump = dumpPath;
      row.boxes = dumped.boxes;
      row.errors = dumped.errors.length;
      if (dumped.errors.length > 0) {
        const [{ segment, error }] = dumped.errors as [(typeof dumped.errors)[number]];
        const more =
          dumped.errors.length > 1 ? ` (and ${dumped.errors.length - 1} more damaged segments)` : '';
        row.reason = `${segmentLabel(segment)} ${segment.name}: ${error.message} [${error.code}]${more}`;
      }
      if (options.concat) {
        if (dumped.errors.length > 0) {
          row.reason = `${row.reason}; not concatenated`;
        } else {
          const concatPath = join(manifest.dir, `${planned.name}.mp4`);
          await concatRepresentation(concatPath, segments, signal);
          row.concat = concatPath;
        }
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      failRow(row, ioError(error));
    }
  }
  return summary;
}

function failRow(row: RepresentationSummary, error: unknown): void {
  row.status = 'failed';
  row.reason = error instanceof Error ? error.message : String(error);
  row.errors += 1;
}

/** The run's error when a representation failed or has damaged segments (exit 1), else undefined. */
export function failureOf(summary: DashSummary): Mp4DumpError | undefined {
  const bad = summary.representations.filter((row) => row.status === 'failed' || row.errors > 0);
  if (bad.length === 0) return undefined;
  const what = bad
    .map((row) => `representation ${JSON.stringify(row.id)}: ${row.reason ?? `${row.errors} errors`}`)
    .join('; ');
  const considered = summary.representations.filter((row) => row.status !== 'skipped').length;
  return new Mp4DumpError(
    Mp4DumpErrorCode.RepresentationFailed,
    `${bad.length} of ${considered} representations with errors: ${what}`,
    { file: summary.manifest },
  );
}

/** The first bytes of a segment, to tell its container. */
async function readHead(segment: MeasuredSegment): Promise<Uint8Array> {
  const handle = await open(segment.path, 'r');
  try {
    const bytes = new Uint8Array(Math.min(segment.size, 189));
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, segment.start);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A file system error (writing a `.dump` or `.mp4`: EACCES, ENOSPC) as MP4DUMP_IO; rec errors as they are. */
function ioError(error: unknown): unknown {
  if (
    isRecError(error) ||
    !(error instanceof Error) ||
    !('code' in error) ||
    typeof error.code !== 'string'
  ) {
    return error;
  }
  return new Mp4DumpError(Mp4DumpErrorCode.Io, error.message, { cause: error });
}
