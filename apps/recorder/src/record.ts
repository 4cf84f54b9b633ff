import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  expectNumber,
  invalidOption,
  makeProgress,
  ProgressUnit,
  type RecWarning,
  type TimeRange,
  WarningLog,
} from '@rec/core';
import { partPath } from '@rec/core/node';
import type { EsDamage, EsDamageReason, EsSegment } from '@rec/es-ts';
import {
  type AudioDamage,
  type AudioDamageReason,
  checkLastPictures,
  type WriteRecordingResult,
  writeRecording,
} from '@rec/mux';
import {
  createS3Client,
  createS3Stats,
  type Gap,
  localSource,
  type Overlap,
  parseS3Url,
  type S3Location,
  type S3Stats,
  type Segment,
  type SegmentSource,
  s3Source,
  segmentPath,
  selectWindow,
  uploadFile,
} from '@rec/s3-segments';
import { asRecordProgress } from './asRecordProgress.js';
import { checkHoles } from './checkHoles.js';
import { checkOutputBucket } from './checkOutputBucket.js';
import { contentEnd } from './contentEnd.js';
import { audioTimeline, type KindTimeline, videoTimeline } from './contentTimeline.js';
import { describeCause } from './describeCause.js';
import { fetchAndEncode } from './fetchAndEncode.js';
import { endStream, type FileFollower, followFile } from './followFile.js';
import { inferFormat } from './inferFormat.js';
import { inspectOutput, writtenMp4Summary } from './inspectOutput.js';
import { type JobDir, openJobDir, type RemovedJobDirs, removeJobDirs } from './jobDir.js';
import { parseInstant } from './parseInstant.js';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';
import { RecorderWarningCode } from './RecorderWarningCode.js';
import { OutputFormat, type RecordOptions, RecordPhase, type S3Client } from './RecordOptions.js';
import { asRecorderFailure, type FailureContext } from './recorderFailure.js';
import { type StagedOutput, stageOutput } from './stagedOutput.js';

export interface RecordSummary {
  /** The output path or `s3://` URL, or `stream` for a stream output. */
  output: string;
  format: OutputFormat;
  /** Timeline seconds the recording presents (the window, or whole segments with `noTrim`). */
  window: TimeRange;
  segments: { video: number; audio: number };
  bytes: { downloaded: number; reused: number; output: number };
  /**
   * Holes in the recording, per kind, from what the segments hold (their
   * pictures and samples placed at their epochs), not from the spacing of
   * their names. Holes shorter than the names' precision (1 s for names in
   * whole seconds, 50 ms for milliseconds) are not listed.
   */
  gaps: Gap[];
  /** Segments whose content runs into the next one's, as the video mux and the audio join resolved them. */
  overlaps: Overlap[];
  /**
   * Damaged segments, video then audio by start: skipped (empty, nothing
   * decodable or readable) or cut (ends inside a picture or frame, bytes
   * that cannot be parsed), each with the timeline seconds `[start, end)` it
   * cost (es-ts `EsDamage`, mux `AudioDamage`). With `strict` there are
   * none: the first one fails the recording.
   */
  damaged: RecordDamage[];
  requests: S3Stats['requests'];
  /** S3 attempts that failed and were tried again, per cause (all 0 for a local source). */
  retries: S3Stats['retries'];
  /**
   * What the recording presents. MP4: from what was written (the movie's
   * duration, its tracks' edit lists), the numbers ffprobe reads, and read
   * by ffprobe with `verify`; TS: what es-ts reads back from the file.
   */
  durationSeconds: number;
  /**
   * `frames`: the pictures the recording presents, as ffprobe `-count_frames` counts them (MP4:
   * those its edit list shows, inside the window; TS: every picture in the file).
   */
  video?: { codec: string; frames?: number; durationSeconds?: number; droppedFrames: number };
  audio?: { codec: string; durationSeconds?: number; silenceSeconds: number };
  /**
   * What was recovered from, once per code: the libraries' (`TS_*`, `WAV_*`, ...) and the
   * recorder's own (`RECORDER_*`); `message` is the first occurrence's, `count` says how many.
   */
  warnings: RecWarning[];
  /** The job's own directory (inside `options.tempDir` or the OS temp dir); gone unless `keepTemp`. */
  tempDir: string;
  /**
   * Wall-clock seconds per step, and in all (`total`: the whole call,
   * from reading the options to removing the job directory). Steps overlap: `download`
   * counts until the last segment is on disk, and the audio is joined and
   * encoded (`audio`, `encode`) while the video downloads.
   */
  timings: Partial<Record<RecordPhase | 'inspect', number>> & { total: number };
}

/** A damaged segment in the recording's summary. */
export interface RecordDamage extends TimeRange {
  kind: Segment['kind'];
  /** The segment's key. */
  key: string;
  reason: EsDamageReason | AudioDamageReason;
  /** What was found and what was lost, as the warning says it. */
  message: string;
}

/** The options read and checked: instants in seconds, the format decided. */
interface Request {
  start: number;
  end: number;
  format: OutputFormat;
  pad: number;
  s3Output: S3Location | undefined;
  /** A stream output; `undefined` for a path or `s3://` URL. */
  stream: Writable | undefined;
  /** How the summary and messages name the output. */
  outputName: string;
}

function instantOption(name: 'start' | 'end', value: RecordOptions['start']): number {
  try {
    return parseInstant(value);
  } catch (error) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Invalid \`${name}\`: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function readRequest(options: RecordOptions): Request {
  const start = instantOption('start', options.start);
  const end = instantOption('end', options.end);
  if (!(end > start)) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Expected \`end\` after \`start\`, got start=${start} end=${end}`,
    );
  }
  if (options.maxHoleFraction !== undefined) expectNumber('maxHoleFraction', options.maxHoleFraction, 0, 1);
  const { output } = options;
  const stream = typeof output === 'string' ? undefined : output;
  if (typeof output !== 'string' && typeof output?.write !== 'function') {
    throw invalidOption('output', 'a path, an s3:// URL or a writable stream', output);
  }
  const s3Output = typeof output === 'string' && output.startsWith('s3://') ? parseS3Url(output) : undefined;
  if (s3Output && options.source.type !== 's3') {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      'An s3:// output needs an S3 source (its client uploads)',
    );
  }
  return {
    start,
    end,
    format: options.format ?? (typeof output === 'string' ? inferFormat(output) : OutputFormat.Mp4),
    pad: expectNumber('pad', options.pad ?? 0, 0),
    s3Output,
    stream,
    outputName: typeof output === 'string' ? output : 'stream',
  };
}

/** The segment source, the S3 client it uses (also the one that uploads an `s3://` output), and its disposal. */
function makeSource(options: Pick<RecordOptions, 'source' | 'layout' | 'concurrency'>): {
  source: SegmentSource;
  client?: S3Client;
  dispose(): void;
} {
  const { source, layout } = options;
  if (source.type === 'local') {
    return { source: localSource({ root: source.root, prefix: source.prefix, layout }), dispose() {} };
  }
  const client =
    source.client ??
    createS3Client({
      region: source.region,
      endpoint: source.endpoint,
      forcePathStyle: source.forcePathStyle,
      credentials: source.credentials,
      maxSockets: Math.max(64, 2 * (options.concurrency ?? 16)),
    });
  return {
    source: s3Source({ client, bucket: source.bucket, prefix: source.prefix, layout }),
    client,
    // Our own client's sockets go with it; the caller's client is the caller's.
    dispose: () => {
      if (client !== source.client) client.destroy();
    },
  };
}

/**
 * The job's id: a hash of what its downloads depend on, so that a run of
 * the same job (after a failure or a kill) finds its verified downloads
 * again. The endpoint is hashed, never written (it may carry credentials).
 */
function jobId(
  options: Pick<RecordOptions, 'source'>,
  source: SegmentSource,
  request: Pick<Request, 'start' | 'end' | 'pad'>,
) {
  const endpoint = options.source.type === 's3' ? (options.source.endpoint ?? '') : '';
  return createHash('sha256')
    .update(`${source.location}\n${endpoint}\n${request.start}\n${request.end}\n${request.pad}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * Writes the finished recording into the caller's stream and ends it. A
 * failure on the way destroys the stream with the error (the caller's
 * reader must not take a cut recording for a whole one).
 */
async function sendToStream(
  file: string,
  stream: Writable,
  signal: AbortSignal | undefined,
  onBytes: (transferred: number, total: number) => void,
): Promise<void> {
  const { size } = await stat(file);
  let sent = 0;
  const counted = createReadStream(file, { highWaterMark: 1024 * 1024 }).on('data', (chunk) => {
    sent += chunk.length;
    onBytes(sent, size);
  });
  try {
    await pipeline(counted, stream, { signal });
  } catch (error) {
    stream.destroy(error as Error);
    throw signal?.aborted ? signal.reason : error;
  }
}

function damageOf(kind: Segment['kind'], damage: EsDamage | AudioDamage): RecordDamage {
  const { source, reason, start, end, message } = damage;
  return { kind, key: source, reason, start, end, message };
}

/** Video then audio, each by start: the order does not depend on which kind was checked first. */
function inTimelineOrder<T extends { kind: Segment['kind']; start: number }>(items: T[]): T[] {
  const rank = (item: T) => (item.kind === 'video' ? 0 : 1);
  return items.sort((a, b) => rank(a) - rank(b) || a.start - b.start);
}

const jobParent = (options: Pick<RecordOptions, 'tempDir'>) =>
  options.tempDir ? resolve(options.tempDir) : tmpdir();

async function* readFileChunks(path: string): AsyncIterable<Uint8Array> {
  yield* createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>;
}

/**
 * Rebuilds one recording of [start, end) from the segments of a source:
 * list only the window, download in parallel (resumable), give the video
 * real timestamps with @rec/es-ts, join the audio on the same timeline, and
 * assemble MP4 or TS with @rec/mux.
 *
 * Everything it throws is a `RecError` (`RecorderError` for its own
 * failures and for any failed file operation, which names the path; the
 * libraries' errors with their codes), a `TypeError` for a bad option
 * value, or `signal.reason` when aborted.
 */
export async function record(options: RecordOptions): Promise<RecordSummary> {
  const started = performance.now();
  const request = readRequest(options);
  const made = makeSource(options);
  const context: FailureContext = {
    action: `list the segments of ${made.source.location}`,
    names: new Map(),
    signal: options.signal,
  };
  try {
    return await recordWindow(options, request, made, context, started);
  } catch (error) {
    throw asRecorderFailure(error, context);
  } finally {
    made.dispose();
  }
}

async function recordWindow(
  options: RecordOptions,
  request: Request,
  made: { source: SegmentSource; client?: S3Client },
  context: FailureContext,
  /** When `record()` was called: `total` is the whole call, set-up and clean-up included. */
  started: number,
): Promise<RecordSummary> {
  const { signal, onProgress } = options;
  const { source, client } = made;
  const { s3Output, stream, format, pad, outputName } = request;
  let lap = performance.now();
  const timings: RecordSummary['timings'] = { total: 0 };
  /** Charges the time since the previous lap to `phase`. */
  const clock = (phase: keyof RecordSummary['timings']) => {
    const now = performance.now();
    timings[phase] = (timings[phase] ?? 0) + (now - lap) / 1000;
    lap = now;
  };
  const stats = createS3Stats();
  const window = { start: request.start, end: request.end };

  // Output-side problems are found while the source is listed, not after the download and encode.
  const bucketChecked = s3Output && client ? checkOutputBucket(client, s3Output, signal) : undefined;
  bucketChecked?.catch(() => {}); // awaited after the listing
  onProgress?.({ phase: RecordPhase.List, transferred: 0, unit: 'keys' });
  const listed: Segment[] = [];
  const kinds = options.kinds ?? ['video', 'audio'];
  for await (const segment of source.list({ window, pad, stats, kinds, signal })) {
    listed.push(segment);
  }
  await bucketChecked;
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

  context.action = `open the job directory in ${jobParent(options)}`;
  const job = await openJobDir({
    parent: jobParent(options),
    id: jobId(options, source, request),
    description: { source: source.location, start: request.start, end: request.end, pad },
    resume: options.resume !== false,
  });
  let staged: StagedOutput | undefined;
  let follower: FileFollower | undefined;
  let summary: RecordSummary;
  try {
    // A local output is written beside its final name and renamed into place once checked;
    // an s3:// or stream one is written in the job directory and sent once complete and checked.
    context.action = `prepare the output ${outputName}`;
    staged =
      typeof options.output === 'string' && !s3Output
        ? await stageOutput(resolve(options.output), job)
        : undefined;
    const localOutput = staged?.temp ?? join(job.work, `recording.${format}`);
    // A TS goes into a stream output as es-ts writes it; an MP4 once complete (faststart moves the moov).
    follower =
      stream && format === OutputFormat.Ts
        ? followFile({ part: partPath(localOutput), path: localOutput }, stream, {
            signal,
            onBytes: (bytes) =>
              onProgress?.(
                asRecordProgress(RecordPhase.Upload, makeProgress(bytes, undefined, ProgressUnit.Bytes)),
              ),
          })
        : undefined;
    const result = await assemble(options, {
      source,
      video,
      audio,
      selection,
      stats,
      job,
      localOutput,
      format,
      context,
      onWritten: () => follower?.finish(),
    });
    timings.download = result.downloadSeconds;
    if (result.track) {
      timings.audio = result.track.seconds.join;
      timings.encode = result.track.seconds.encode;
    }
    timings.mux = result.muxSeconds;
    if (result.inspectSeconds !== undefined) timings.inspect = result.inspectSeconds;
    lap = performance.now();

    if (s3Output && client) {
      context.action = `upload ${localOutput} to ${outputName}`;
      await uploadFile({
        client,
        bucket: s3Output.bucket,
        key: s3Output.key,
        file: localOutput,
        contentType: format === 'mp4' ? 'video/mp4' : 'video/mp2t',
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
    if (stream) {
      context.action = `write the recording ${localOutput} to the output stream`;
      if (follower) {
        await follower.sent;
        await endStream(stream);
      } else {
        await sendToStream(localOutput, stream, signal, (transferred, total) =>
          onProgress?.(
            asRecordProgress(RecordPhase.Upload, makeProgress(transferred, total, ProgressUnit.Bytes)),
          ),
        );
      }
      clock(RecordPhase.Upload);
    }
    context.action = `put the recording in place at ${outputName}`;
    await staged?.commit();
    for (const [step, seconds] of Object.entries(timings)) {
      timings[step as keyof typeof timings] = Math.round(seconds * 1000) / 1000;
    }
    const { fetched, written, inspected, es, track, timelines, warnings } = result;
    summary = {
      output: outputName,
      format,
      window: result.span,
      segments: { video: video.length, audio: audio.length },
      bytes: {
        downloaded: fetched.reduce((sum, fetch) => sum + fetch.bytesDownloaded, 0),
        reused: fetched.reduce((sum, fetch) => sum + fetch.bytesSkipped, 0),
        output: written.bytes,
      },
      gaps: inTimelineOrder(timelines.flatMap((timeline) => timeline.gaps)),
      overlaps: inTimelineOrder(timelines.flatMap((timeline) => timeline.overlaps)),
      damaged: inTimelineOrder([
        ...(es?.damaged ?? []).map((damage) => damageOf('video', damage)),
        ...(track?.damaged ?? []).map((damage) => damageOf('audio', damage)),
      ]),
      requests: stats.requests,
      retries: stats.retries,
      durationSeconds: inspected.durationSeconds ?? written.durationSeconds,
      video: inspected.video && {
        ...inspected.video,
        // MP4: the pictures its edit list presents, as ffprobe -count_frames counts them; the
        // stream's sample count also has the GOP head before `start` and the references after `end`.
        frames: format === OutputFormat.Mp4 && es ? es.presentedFrames : inspected.video.frames,
        droppedFrames: es?.droppedLeadingFrames ?? 0,
      },
      // No audio frame count: ffmpeg's `-t` decides how many AAC frames the MP4 keeps past `end`.
      audio: inspected.audio && {
        codec: inspected.audio.codec,
        durationSeconds: inspected.audio.durationSeconds,
        silenceSeconds: track?.silenceSeconds ?? 0,
      },
      warnings: warnings.list(),
      tempDir: job.path,
      timings,
    };
  } catch (error) {
    if (follower) {
      follower.stop(error);
      // What was sent of the recording is not the recording: the reader must see a failure.
      if (follower.started) stream?.destroy(error as Error);
      await follower.sent.catch(() => {});
    }
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
    // The first of its code: nothing else in the summary warns about the job directory.
    summary.warnings.push({
      code: RecorderWarningCode.TempLeft,
      message: `Cannot remove the job directory ${job.path}: ${describeCause(cause)}`,
      count: 1,
      source: job.path,
    });
  }
  timings.total = Math.round(performance.now() - started) / 1000;
  return summary;
}

interface AssembleInput {
  source: SegmentSource;
  video: Segment[];
  audio: Segment[];
  selection: ReturnType<typeof selectWindow>;
  stats: S3Stats;
  job: JobDir;
  /** Where the finished recording is written (complete, through its `.part`). */
  localOutput: string;
  format: OutputFormat;
  context: FailureContext;
  /** Once `writeRecording` has put the recording under `localOutput`. */
  onWritten?: () => void;
}

/**
 * Downloads the segments into the job directory, builds the audio, muxes
 * the video and writes the recording to `localOutput`, then reads it back.
 */
async function assemble(options: RecordOptions, input: AssembleInput) {
  const { signal, onProgress } = options;
  const { source, video, audio, selection, stats, job, localOutput, format, context } = input;
  const warnings = new WarningLog();
  const timelines: KindTimeline[] = [];
  /** Each kind that is mostly holes: one warning says them all (WarningLog keeps one message per code). */
  const mostlyEmpty: string[] = [];
  /** Refuses the window (`maxHoleFraction`) or notes a kind that is mostly holes. */
  const checkKind = (timeline: KindTimeline, range: TimeRange) => {
    timelines.push(timeline);
    const share = checkHoles({
      kind: timeline.kind,
      holeSeconds: timeline.holeSeconds,
      range,
      maxHoleFraction: options.maxHoleFraction,
    });
    if (share) mostlyEmpty.push(share);
  };
  // Messages name a download by its key, not by its path in the job directory.
  const keyOfFile = new Map<string, string>();
  if (source.type === 's3') {
    for (const segment of [...video, ...audio]) {
      const file = segmentPath(join(job.segments, segment.kind), segment);
      keyOfFile.set(file, segment.key);
      (context.names as Map<string, string>).set(file, segment.key);
    }
  }

  // Without trimming, the recording spans the selected segments whole: it starts at the first
  // epoch and ends where the last segment's content ends (known once it is on disk).
  // No argument spread: a days-long window holds tens of thousands of segments.
  const start = options.noTrim
    ? [...video, ...audio].reduce(
        (first, segment) => Math.min(first, segment.epoch),
        Number.POSITIVE_INFINITY,
      )
    : selection.from;
  let audioSpan: TimeRange = { start, end: selection.to };
  const codec = video[0]?.codec === 'hevc' ? 'hevc' : 'h264';
  const videoSegments = (paths: ReadonlyMap<string, string>): EsSegment[] =>
    video.map((segment) => ({
      name: segment.key,
      startTime: segment.epoch,
      source: () => readFileChunks(paths.get(segment.key) ?? ''),
    }));
  /** H.264 segments with their last pictures checked by ffmpeg, while the audio encodes. */
  let checkedVideo: EsSegment[] | undefined;
  context.action = `download the segments into ${job.segments} and encode the audio in ${job.work}`;
  const {
    fetched,
    pathOf,
    track: builtTrack,
    encoding,
    downloadSeconds,
  } = await fetchAndEncode({
    source,
    video,
    audio,
    audioSpan: async (paths) => {
      if (options.noTrim) audioSpan = { start, end: (await contentEnd(audio, paths, signal)) ?? start };
      return audioSpan;
    },
    // Encoded as it downloads, unless the window's end comes from the content (`noTrim`) or a
    // sparse window is to be refused before the encode costs anything.
    streamSpan: options.noTrim || options.maxHoleFraction !== undefined ? undefined : audioSpan,
    dir: job.segments,
    tempDir: job.work,
    stats,
    concurrency: options.concurrency,
    strict: options.strict,
    ffmpegPath: options.ffmpegPath,
    signal,
    onProgress,
    // Before the encode: a window of silence is refused before it costs anything.
    onAudioPlan: (plan) => checkKind(audioTimeline(plan, audio, keyOfFile), audioSpan),
    afterVideo:
      video.length > 0 && codec === 'h264'
        ? async (paths) => {
            checkedVideo = await checkLastPictures(videoSegments(paths), {
              ffmpegPath: options.ffmpegPath,
              signal,
            });
          }
        : undefined,
  });
  let span: TimeRange;
  let written: WriteRecordingResult;
  let muxStarted = performance.now();
  let encoded = encoding === undefined;
  encoding?.track.then(
    () => {
      encoded = true;
    },
    () => {},
  );
  // From here on, PCM audio is still encoding: a failure stops its encoders (see the catch).
  try {
    span = options.noTrim
      ? {
          start,
          end: Math.max(
            audio.length > 0 ? audioSpan.end : start,
            (await contentEnd(video, pathOf, signal)) ?? start,
          ),
        }
      : { start: selection.from, end: selection.to };
    if (!(span.end > span.start)) {
      throw new RecorderError(
        RecorderErrorCode.NothingInWindow,
        `The segments in ${source.location} from ${new Date(start * 1000).toISOString()} hold no picture or sample`,
      );
    }
    muxStarted = performance.now();

    context.action = `write the recording ${localOutput}`;
    // mux writes the TS with es-ts (a TS recording's AAC interleaved by the same writer) and,
    // for MP4, hands it to ffmpeg; the timeline is `span.start` -> es-ts's DEFAULT_START_PTS.
    written = await writeRecording({
      video:
        video.length > 0
          ? {
              segments: checkedVideo ?? videoSegments(pathOf),
              // Done above, while the audio encoded.
              checkLastPictures: false,
              codec,
              keep: options.noTrim ? undefined : span,
              strict: options.strict,
            }
          : undefined,
      // PCM audio is read as its encoders write it: the MP4 is assembled while they finish.
      audio: builtTrack?.aac ?? encoding?.aac,
      window: span,
      output: localOutput,
      format,
      ffmpegPath: options.ffmpegPath,
      signal,
      // While the encoders run, the encode's progress is the one shown (the mux follows it).
      onProgress: (progress) => {
        if (encoded) onProgress?.(asRecordProgress(RecordPhase.Mux, progress));
      },
    });
  } catch (error) {
    // The mux failed (or the encode did, through its stream): no encoder outlives it.
    encoding?.stop(error);
    await encoding?.track.catch(() => {});
    throw error;
  }
  const track = builtTrack ?? (await encoding?.track);
  if (encoding) {
    // The mux's own reports were held while the encoders ran: its end is said once they are done.
    const length = span.end - span.start;
    onProgress?.(asRecordProgress(RecordPhase.Mux, makeProgress(length, length, ProgressUnit.Seconds)));
  }
  input.onWritten?.();
  const es = written.video;
  // The video's holes are known once its pictures are muxed: a refusal comes before the output is in place.
  if (es) checkKind(videoTimeline(es, video, span), span);
  if (mostlyEmpty.length > 0) {
    warnings.add(RecorderWarningCode.MostlyEmpty, `Mostly empty: the window is ${mostlyEmpty.join('; ')}`, {
      count: mostlyEmpty.length,
    });
  }
  const inspectStarted = performance.now();
  // An MP4's summary comes from what was written (no second pass over the file) unless `verify`
  // asks ffprobe; a TS is read back by es-ts. Either read comes before the file goes under its
  // final name: a recording that cannot be read back is an error.
  context.action = `read back the recording ${localOutput}`;
  const inspected =
    format === OutputFormat.Mp4 && !options.verify
      ? writtenMp4Summary(written, {
          video: es ? codec : undefined,
          audio: track !== undefined,
        })
      : await inspectOutput(localOutput, format, signal);
  warnings.merge(es?.warnings ?? []);
  warnings.merge(track?.warnings ?? []);
  return {
    fetched,
    track,
    downloadSeconds,
    written,
    es,
    inspected,
    span,
    timelines,
    warnings,
    muxSeconds: (inspectStarted - muxStarted) / 1000,
    inspectSeconds:
      format === OutputFormat.Mp4 && !options.verify
        ? undefined
        : (performance.now() - inspectStarted) / 1000,
  };
}

/** What `removeRecordingState` needs: what identifies a job, and where its directories are. */
export type RecordingStateOptions = Pick<
  RecordOptions,
  'source' | 'start' | 'end' | 'pad' | 'tempDir' | 'layout'
>;

/**
 * Removes the resume state of a job: the job directories (downloads,
 * intermediate files) that `record()` with these options keeps after a
 * failure, an abort or `keepTemp`, in `tempDir` (or the OS temp dir), and
 * the temp files their runs left beside their outputs. Only directories
 * carrying the recorder's marker for this job are removed, and none that a
 * running recording holds (those are listed in `busy`); `tempDir` itself
 * and anything else in it stay.
 */
export async function removeRecordingState(options: RecordingStateOptions): Promise<RemovedJobDirs> {
  const request = {
    start: instantOption('start', options.start),
    end: instantOption('end', options.end),
    pad: expectNumber('pad', options.pad ?? 0, 0),
  };
  const made = makeSource(options);
  try {
    return await removeJobDirs(jobParent(options), jobId(options, made.source, request));
  } finally {
    made.dispose();
  }
}
