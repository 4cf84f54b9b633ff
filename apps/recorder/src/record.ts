import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
import { fetchAndEncode } from './fetchAndEncode.js';
import { inspectOutput } from './inspectOutput.js';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';
import { type RecordOptions, RecordPhase } from './RecordOptions.js';

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
    return {
      source: localSource({
        root: source.root,
        ...(source.prefix === undefined ? {} : { prefix: source.prefix }),
        ...(layout ? { layout } : {}),
      }),
    };
  }
  const client = createS3Client({
    region: source.region,
    ...(source.endpoint ? { endpoint: source.endpoint } : {}),
    ...(source.forcePathStyle ? { forcePathStyle: true } : {}),
    maxSockets: Math.max(64, options.concurrency ?? 16),
  });
  return {
    source: s3Source({ client, bucket: source.bucket, prefix: source.prefix, ...(layout ? { layout } : {}) }),
    client,
  };
}

/** A temp dir named after the job, so an interrupted run finds its downloads again. */
function jobTempDir(options: RecordOptions, source: SegmentSource): string {
  if (options.tempDir) return resolve(options.tempDir);
  const job = createHash('sha256')
    .update(`${source.location}\n${options.start}\n${options.end}\n${options.pad ?? 0}`)
    .digest('hex')
    .slice(0, 16);
  return join(tmpdir(), `rec-recorder-${job}`);
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
  const stats = createS3Stats();
  const window = { start: options.start, end: options.end };
  const pad = options.pad ?? 0;

  onProgress?.({ phase: RecordPhase.List, transferred: 0, unit: 'keys' });
  const listed: Segment[] = [];
  const kinds = options.kinds ?? ['video', 'audio'];
  for await (const segment of source.list({ window, pad, stats, kinds, ...(signal ? { signal } : {}) })) {
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

  const tempDir = jobTempDir(options, source);
  if (options.resume === false) await rm(tempDir, { recursive: true, force: true });
  await mkdir(tempDir, { recursive: true });

  const { fetched, pathOf, track, downloadSeconds } = await fetchAndEncode({
    source,
    video,
    audio,
    span,
    dir: join(tempDir, 'segments'),
    tempDir,
    stats,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  timings.download = downloadSeconds;
  if (track) {
    timings.audio = track.seconds.join;
    timings.encode = track.seconds.encode;
  }
  lap = performance.now();

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
        ...(options.noTrim ? {} : { keep: span }),
        // TS: the AAC goes into the same TS, interleaved by our writer (no ffmpeg).
        ...(track && options.format === 'ts'
          ? {
              audio: readAdts(createReadStream(track.aac.adts), {
                startPts: BASE_PTS + Math.round(track.aac.offset * TS_CLOCK),
                source: track.aac.adts,
                ...(signal ? { signal } : {}),
              }),
            }
          : {}),
        ...(signal ? { signal } : {}),
      },
    );
    ts = muxed.packets;
    esResult = muxed.result;
  }

  const s3Output = options.output.startsWith('s3://') ? parseS3Url(options.output) : undefined;
  const localOutput = s3Output ? join(tempDir, `recording.${options.format}`) : resolve(options.output);
  await mkdir(dirname(localOutput), { recursive: true });
  const written: WriteRecordingResult = await writeRecording({
    ...(ts ? { video: { ts, origin: span.start, basePts: BASE_PTS } } : {}),
    ...(track && !(ts && options.format === 'ts') ? { audio: track.aac } : {}),
    window: span,
    output: localOutput,
    format: options.format,
    ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    ...(signal ? { signal } : {}),
    onProgress: (progress) => onProgress?.(asRecordProgress(RecordPhase.Mux, progress)),
  });
  const es = await esResult;
  clock(RecordPhase.Mux);
  const inspected = await inspectOutput(localOutput, options.format, signal);
  clock('inspect');

  if (s3Output && client) {
    await uploadFile({
      client,
      bucket: s3Output.bucket,
      key: s3Output.key,
      file: localOutput,
      contentType: options.format === 'mp4' ? 'video/mp4' : 'video/mp2t',
      ...(signal ? { signal } : {}),
      onProgress: (progress) =>
        onProgress?.({
          phase: RecordPhase.Upload,
          transferred: progress.transferred,
          ...(progress.total === undefined ? {} : { total: progress.total }),
          unit: 'bytes',
        }),
    });
    clock(RecordPhase.Upload);
  }
  timings.total = (performance.now() - started) / 1000;
  for (const [step, seconds] of Object.entries(timings)) {
    timings[step as keyof typeof timings] = Math.round(seconds * 1000) / 1000;
  }

  const summary: RecordSummary = {
    output: options.output,
    format: options.format,
    window: span,
    segments: { video: video.length, audio: audio.length },
    bytes: {
      downloaded: fetched.reduce((sum, result) => sum + result.bytesDownloaded, 0),
      reused: fetched.reduce((sum, result) => sum + result.bytesSkipped, 0),
      output: written.bytes,
    },
    gaps: selection.gaps,
    overlaps: selection.overlaps,
    requests: stats.requests,
    durationSeconds: inspected.durationSeconds ?? written.durationSeconds,
    ...(inspected.video
      ? { video: { ...inspected.video, droppedFrames: es?.droppedLeadingFrames ?? 0 } }
      : {}),
    ...(inspected.audio ? { audio: { ...inspected.audio, silenceSeconds: track?.silenceSeconds ?? 0 } } : {}),
    warnings: [...(es?.warnings ?? []), ...(track?.warnings ?? [])].map(({ code, message }) => ({
      code,
      message,
    })),
    tempDir,
    timings,
  };
  if (!options.keepTemp) await rm(tempDir, { recursive: true, force: true });
  return summary;
}
