import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeProgress, ProgressUnit } from '@rec/core';
import { type EsMuxResult, muxSegments, readAdts, TS_CLOCK } from '@rec/es-ts';
import { type WriteRecordingResult, writeRecording } from '@rec/mux';
import {
  createS3Client,
  createS3Stats,
  type Gap,
  localSource,
  type Overlap,
  parseS3Url,
  type S3Stats,
  type Segment,
  type SegmentSource,
  s3Source,
  selectWindow,
  uploadFile,
} from '@rec/s3-segments';
import { asRecordProgress } from './asRecordProgress.js';
import { describeCause } from './describeCause.js';
import { fetchAndEncode } from './fetchAndEncode.js';
import { inspectOutput } from './inspectOutput.js';
import { type JobDir, openJobDir } from './jobDir.js';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';
import { RecorderWarningCode } from './RecorderWarningCode.js';
import { type RecordOptions, RecordPhase } from './RecordOptions.js';
import { type StagedOutput, stageOutput } from './stagedOutput.js';

/** PTS of `window.start` in the video TS: 1.4 s leaves room for earlier DTS and PCR. */
const BASE_PTS = 126_000;

export interface RecordSummary {
  output: string;
  format: RecordOptions['format'];
  window: { start: number; end: number };
  segments: { video: number; audio: number };
  bytes: { downloaded: number; reused: number; output: number };
  gaps: Gap[];
  overlaps: Overlap[];
  requests: S3Stats['requests'];
  /** What ffprobe reads back from the recording. */
  durationSeconds: number;
  video?: { codec: string; frames?: number; durationSeconds?: number; droppedFrames: number };
  audio?: { codec: string; durationSeconds?: number; silenceSeconds: number };
  warnings: { code: string; message: string }[];
  /** The job's own directory (inside `options.tempDir` or the OS temp dir); gone unless `keepTemp`. */
  tempDir: string;
  /**
   * Wall-clock seconds per step, and in all. Steps overlap: `download`
   * counts until the last segment is on disk, and the audio is joined and
   * encoded (`audio`, `encode`) while the video downloads.
   */
  timings: Partial<Record<RecordPhase | 'inspect', number>> & { total: number };
}

/** The segment source, and the S3 client it uses (also the one that uploads an `s3://` output). */
function makeSource(options: RecordOptions): {
  source: SegmentSource;
  client?: ReturnType<typeof createS3Client>;
} {
  const { source, layout } = options;
  if (source.type === 'local') {
    return { source: localSource({ root: source.root, prefix: source.prefix, layout }) };
  }
  const client = createS3Client({
    region: source.region,
    endpoint: source.endpoint,
    forcePathStyle: source.forcePathStyle,
    maxSockets: Math.max(64, options.concurrency ?? 16),
  });
  return { source: s3Source({ client, bucket: source.bucket, prefix: source.prefix, layout }), client };
}

/**
 * The job's id: a hash of what its downloads depend on, so that a run of
 * the same job (after a failure or a kill) finds its verified downloads
 * again. The endpoint is hashed, never written (it may carry credentials).
 */
function jobId(options: RecordOptions, source: SegmentSource): string {
  const endpoint = options.source.type === 's3' ? (options.source.endpoint ?? '') : '';
  return createHash('sha256')
    .update(`${source.location}\n${endpoint}\n${options.start}\n${options.end}\n${options.pad ?? 0}`)
    .digest('hex')
    .slice(0, 16);
}

async function* readFileChunks(path: string): AsyncIterable<Uint8Array> {
  yield* createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>;
}

/**
 * Rebuilds one recording of [start, end) from the segments of a source:
 * list only the window, download in parallel (resumable), give the video
 * real timestamps with @rec/es-ts, join the audio on the same timeline, and
 * assemble MP4 or TS with @rec/mux.
 */
export async function record(options: RecordOptions): Promise<RecordSummary> {
  const { signal, onProgress } = options;
  const started = performance.now();
  let lap = started;
  const timings: RecordSummary['timings'] = { total: 0 };
  /** Charges the time since the previous lap to `phase`. */
  const clock = (phase: keyof RecordSummary['timings']) => {
    const now = performance.now();
    timings[phase] = (timings[phase] ?? 0) + (now - lap) / 1000;
    lap = now;
  };
  if (!(options.end > options.start)) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Expected \`end\` after \`start\`, got start=${options.start} end=${options.end}`,
    );
  }
  const { source, client } = makeSource(options);
  const s3Output = options.output.startsWith('s3://') ? parseS3Url(options.output) : undefined;
  if (s3Output && !client) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      'An s3:// output needs an S3 source (its client uploads)',
    );
  }
  const stats = createS3Stats();
  const window = { start: options.start, end: options.end };
  const pad = options.pad ?? 0;

  onProgress?.({ phase: RecordPhase.List, transferred: 0, unit: 'keys' });
  const listed: Segment[] = [];
  const kinds = options.kinds ?? ['video', 'audio'];
  for await (const segment of source.list({ window, pad, stats, kinds, signal })) {
    listed.push(segment);
  }
  onProgress?.({ phase: RecordPhase.List, transferred: listed.length, total: listed.length, unit: 'keys' });
  clock(RecordPhase.List);
  const selection = selectWindow(listed, window, { pad });
  const video = selection.segments.filter((segment) => segment.kind === 'video');
  const audio = selection.segments.filter((segment) => segment.kind === 'audio');
  if (video.length === 0 && audio.length === 0) {
    throw new RecorderError(
      RecorderErrorCode.NothingInWindow,
      `No segments in ${source.location} between ${new Date(window.start * 1000).toISOString()} and ${new Date(window.end * 1000).toISOString()}`,
    );
  }

  // Without trimming, the recording spans the selected segments whole.
  const span = options.noTrim
    ? {
        start: Math.min(...selection.segments.map((segment) => segment.epoch)),
        end: Math.max(
          ...selection.segments.map((segment) => segment.epoch + (selection.durations[segment.kind] ?? 0)),
        ),
      }
    : { start: selection.from, end: selection.to };

  const job = await openJobDir({
    parent: options.tempDir ? resolve(options.tempDir) : tmpdir(),
    id: jobId(options, source),
    description: { source: source.location, start: options.start, end: options.end, pad },
    resume: options.resume !== false,
  });
  let staged: StagedOutput | undefined;
  let summary: RecordSummary;
  try {
    // A local output is written beside its final name and renamed into place once checked;
    // an s3:// one is written in the job directory and uploaded once complete and checked.
    staged = s3Output ? undefined : await stageOutput(resolve(options.output), job);
    const localOutput = staged?.temp ?? join(job.work, `recording.${options.format}`);
    const result = await assemble(options, { source, video, audio, span, stats, job, localOutput });
    timings.download = result.downloadSeconds;
    if (result.track) {
      timings.audio = result.track.seconds.join;
      timings.encode = result.track.seconds.encode;
    }
    timings.mux = result.muxSeconds;
    timings.inspect = result.inspectSeconds;
    lap = performance.now();

    if (s3Output && client) {
      await uploadFile({
        client,
        bucket: s3Output.bucket,
        key: s3Output.key,
        file: localOutput,
        contentType: options.format === 'mp4' ? 'video/mp4' : 'video/mp2t',
        signal,
        onProgress: (progress) =>
          onProgress?.(
            asRecordProgress(
              RecordPhase.Upload,
              makeProgress(progress.transferred, progress.total, ProgressUnit.Bytes),
            ),
          ),
      });
      clock(RecordPhase.Upload);
    }
    await staged?.commit();
    timings.total = (performance.now() - started) / 1000;
    for (const [step, seconds] of Object.entries(timings)) {
      timings[step as keyof typeof timings] = Math.round(seconds * 1000) / 1000;
    }
    const { fetched, written, inspected, es, track } = result;
    summary = {
      output: options.output,
      format: options.format,
      window: span,
      segments: { video: video.length, audio: audio.length },
      bytes: {
        downloaded: fetched.reduce((sum, fetch) => sum + fetch.bytesDownloaded, 0),
        reused: fetched.reduce((sum, fetch) => sum + fetch.bytesSkipped, 0),
        output: written.bytes,
      },
      gaps: selection.gaps,
      overlaps: selection.overlaps,
      requests: stats.requests,
      durationSeconds: inspected.durationSeconds ?? written.durationSeconds,
      video: inspected.video && { ...inspected.video, droppedFrames: es?.droppedLeadingFrames ?? 0 },
      audio: inspected.audio && { ...inspected.audio, silenceSeconds: track?.silenceSeconds ?? 0 },
      warnings: [...(es?.warnings ?? []), ...(track?.warnings ?? [])].map(({ code, message }) => ({
        code,
        message,
      })),
      tempDir: job.path,
      timings,
    };
  } catch (error) {
    await staged?.discard();
    // The downloads stay for a resume; the lock goes.
    await job.release({ keepWork: options.keepTemp });
    throw error;
  }
  try {
    if (options.keepTemp) await job.release({ keepWork: true });
    else await job.remove();
  } catch (cause) {
    // The recording is in place: a directory left behind is worth a warning, not a failed run.
    summary.warnings.push({
      code: RecorderWarningCode.TempLeft,
      message: `Cannot remove the job directory ${job.path}: ${describeCause(cause)}`,
    });
  }
  return summary;
}

interface AssembleInput {
  source: SegmentSource;
  video: Segment[];
  audio: Segment[];
  span: { start: number; end: number };
  stats: S3Stats;
  job: JobDir;
  /** Where the finished recording is written (complete, through its `.part`). */
  localOutput: string;
}

/**
 * Downloads the segments into the job directory, builds the audio, muxes
 * the video and writes the recording to `localOutput`, then reads it back.
 */
async function assemble(options: RecordOptions, input: AssembleInput) {
  const { signal, onProgress } = options;
  const { source, video, audio, span, stats, job, localOutput } = input;
  const { fetched, pathOf, track, downloadSeconds } = await fetchAndEncode({
    source,
    video,
    audio,
    span,
    dir: job.segments,
    tempDir: job.work,
    stats,
    concurrency: options.concurrency,
    ffmpegPath: options.ffmpegPath,
    signal,
    onProgress,
  });
  const muxStarted = performance.now();

  let esResult: Promise<EsMuxResult> | undefined;
  let ts: AsyncIterable<Uint8Array> | undefined;
  if (video.length > 0) {
    const muxed = muxSegments(
      video.map((segment) => ({
        name: segment.key,
        startTime: segment.epoch,
        source: () => readFileChunks(pathOf.get(segment.key) ?? ''),
      })),
      {
        codec: video[0]?.codec === 'hevc' ? 'hevc' : 'h264',
        origin: span.start,
        basePts: BASE_PTS,
        keep: options.noTrim ? undefined : span,
        // TS: the AAC goes into the same TS, interleaved by our writer (no ffmpeg).
        audio:
          track && options.format === 'ts'
            ? readAdts(createReadStream(track.aac.adts), {
                startPts: BASE_PTS + Math.round(track.aac.offset * TS_CLOCK),
                source: track.aac.adts,
                signal,
              })
            : undefined,
        signal,
      },
    );
    ts = muxed.packets;
    esResult = muxed.result;
  }

  const written: WriteRecordingResult = await writeRecording({
    video: ts && { ts, origin: span.start, basePts: BASE_PTS },
    audio: track && !(ts && options.format === 'ts') ? track.aac : undefined,
    window: span,
    output: localOutput,
    format: options.format,
    ffmpegPath: options.ffmpegPath,
    signal,
    onProgress: (progress) => onProgress?.(asRecordProgress(RecordPhase.Mux, progress)),
  });
  const es = await esResult;
  const inspectStarted = performance.now();
  // Read back before the file goes under its final name: a recording ffprobe cannot read is an error.
  const inspected = await inspectOutput(localOutput, options.format, signal);
  return {
    fetched,
    track,
    downloadSeconds,
    written,
    es,
    inspected,
    muxSeconds: (inspectStarted - muxStarted) / 1000,
    inspectSeconds: (performance.now() - inspectStarted) / 1000,
  };
}
