import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { makeProgress, ProgressUnit, type TimeRange } from '@rec/core';
import {
  AudioChunkCodec,
  type AudioTrack,
  AudioTrackPhase,
  type AudioTrackPlan,
  aacPrerollSeconds,
  buildAudioTrack,
  type RecordingAacStream,
  readWavInfo,
} from '@rec/mux';
import {
  type DownloadResult,
  type S3Stats,
  type Segment,
  type SegmentKind,
  type SegmentSource,
  segmentPath,
} from '@rec/s3-segments';
import { asRecordProgress } from './asRecordProgress.js';
import { RecordPhase, type RecordProgress } from './RecordOptions.js';

export interface FetchAndEncodeOptions {
  source: SegmentSource;
  video: Segment[];
  audio: Segment[];
  /** Timeline seconds the audio track presents, once its segments are on disk (their local files given). */
  audioSpan: (pathOf: ReadonlyMap<string, string>) => Promise<TimeRange>;
  /**
   * The audio's span when it is known before the download (a trimmed
   * window, no refusal to make before the encode): PCM audio is then
   * encoded as it arrives, the encoders starting on the first segments on
   * disk (`buildAudioTrack`'s `ready`) instead of after the last.
   */
  streamSpan?: TimeRange;
  /** Where the segments are downloaded (one directory per kind, each with its resume state). */
  dir: string;
  /** Where intermediate files (the AAC) go. */
  tempDir: string;
  stats: S3Stats;
  concurrency?: number;
  /** Gaps and damaged segments fail the audio (mux `buildAudioTrack`'s `strict`). */
  strict?: boolean;
  ffmpegPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
  /** The audio's timeline before it is encoded; may throw to stop the recording (see `buildAudioTrack`). */
  onAudioPlan?: (plan: AudioTrackPlan) => void;
  /**
   * Work on the video once all of it is on disk (its local files given),
   * done while the audio still downloads or encodes: the check of each
   * segment's last picture. A failure stops the other branches.
   */
  afterVideo?: (pathOf: ReadonlyMap<string, string>) => Promise<void>;
}

export interface Fetched {
  fetched: DownloadResult[];
  /** Local file of every segment key. */
  pathOf: Map<string, string>;
  /** The audio track, when it is done (AAC segments); PCM audio is still encoding: see `encoding`. */
  track: AudioTrack | undefined;
  /**
   * PCM audio: its AAC as the encoders write it, for the mux to read to its
   * end while they finish (`track` resolves then), or `stop` (the mux
   * failed: the encoders are stopped, `track` rejects).
   */
  encoding?: {
    aac: RecordingAacStream;
    track: Promise<AudioTrack>;
    stop(reason: unknown): void;
  };
  /** Until the last segment was on disk. */
  downloadSeconds: number;
}

const nothingFetched: DownloadResult = { files: [], bytesDownloaded: 0, bytesSkipped: 0, requests: 0 };

/**
 * Downloads the audio and the video segments side by side, each kind with
 * `concurrency` GETs of its own (so a stalled audio download never holds
 * the video back, nor the reverse), and encodes the audio while it
 * downloads: with `streamSpan`, each AAC encoder starts on its part of the
 * audio as soon as that part's first segments are on disk (the audio is
 * fetched in the order that feeds every encoder at once); otherwise the
 * audio is joined and encoded once all of it is on disk, while the video
 * still downloads. The encode is most of a recording's CPU time. One
 * failing branch stops the others; the first failure (or the caller's
 * abort reason) is what rejects.
 *
 * Each kind downloads into a directory of its own (`<dir>/<kind>`): two
 * downloads at once must not share one resume state file.
 *
 * PCM audio is handed over as its encoders write it (`encoding`): this
 * resolves once the downloads and `afterVideo` are done and the encoders
 * run, so that the recording is assembled while they finish.
 *
 * Progress: one download phase over all bytes; the join/encode progress is
 * reported once the download is over (the two would otherwise interleave).
 */
export async function fetchAndEncode(options: FetchAndEncodeOptions): Promise<Fetched> {
  const { source, video, audio, signal, onProgress } = options;
  const started = performance.now();
  const totalBytes = [...video, ...audio].reduce((sum, segment) => sum + segment.size, 0);
  const transferred: Record<SegmentKind, number> = { video: 0, audio: 0 };
  let downloading = 2;
  let downloadSeconds = 0;

  const controller = new AbortController();
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });
  let stopListening = true;
  /** The first failure stops every branch; the rejection it gets is its own. */
  const failFast = <T>(work: Promise<T>) =>
    work.catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
  /** One fetch of some segments of a kind; `base`: the kind's bytes fetched before it. */
  const fetchSome = (kind: SegmentKind, segments: Segment[], onFiles?: (files: number) => void, base = 0) =>
    segments.length === 0
      ? Promise.resolve(nothingFetched)
      : source.fetch(segments, {
          dir: join(options.dir, kind),
          concurrency: options.concurrency ?? 16,
          stats: options.stats,
          signal: controller.signal,
          onProgress: (progress) => {
            onFiles?.(progress.files);
            transferred[kind] = base + progress.transferred;
            onProgress?.(
              asRecordProgress(
                RecordPhase.Download,
                makeProgress(transferred.video + transferred.audio, totalBytes, ProgressUnit.Bytes),
              ),
            );
          },
        });
  /** A kind's download, counted down to the end of all downloads. */
  const counted = (download: Promise<DownloadResult>) =>
    failFast(
      download.then((result) => {
        if (--downloading === 0) downloadSeconds = (performance.now() - started) / 1000;
        return result;
      }),
    );
  const fetchKind = (kind: SegmentKind, segments: Segment[]) => counted(fetchSome(kind, segments));

  try {
    const pcm = audio.length > 0 && audio.every((segment) => segment.codec !== 'aac');
    const streamSpan = pcm ? options.streamSpan : undefined;
    // Before the fetch: the files a resumed run finds under their final names (see `watchDownloads`).
    const watch =
      streamSpan && source.type === 's3'
        ? await watchDownloads(audio, join(options.dir, 'audio'), options.concurrency ?? 16)
        : undefined;
    const audioFetch =
      watch && streamSpan
        ? counted(fetchForEncoders(audio, streamSpan, watch, fetchSome))
        : fetchKind('audio', audio);
    watch?.settle(audioFetch);
    const videoFetch = fetchKind('video', video);
    // PCM: the AAC goes to the mux as the encoders write it.
    let handOver: ((aac: RecordingAacStream) => void) | undefined;
    const handedOver = new Promise<RecordingAacStream>((resolve) => {
      handOver = resolve;
    });
    const buildTrack = (
      files: readonly string[],
      window: TimeRange,
      ready?: (index: number) => Promise<void>,
    ) =>
      buildAudioTrack({
        onStream: pcm ? handOver : undefined,
        chunks: audio.map((segment, index) => ({
          file: files[index] ?? '',
          startTime: segment.epoch,
          name: segment.key,
          bytes: segment.size,
          codec: segment.codec === 'aac' ? AudioChunkCodec.Aac : AudioChunkCodec.Pcm,
        })),
        window,
        output: join(options.tempDir, 'audio.aac'),
        strict: options.strict,
        ffmpegPath: options.ffmpegPath,
        signal: controller.signal,
        onPlan: options.onAudioPlan,
        ready,
        onProgress: ({ phase, ...progress }) => {
          if (downloading > 0) return;
          const step = phase === AudioTrackPhase.Join ? RecordPhase.Audio : RecordPhase.Encode;
          onProgress?.(asRecordProgress(step, progress));
        },
      });
    const audioBuild = failFast(
      watch && streamSpan
        ? buildTrack(watch.paths, streamSpan, watch.ready)
        : audioFetch.then(async (fetched) => {
            if (audio.length === 0) return undefined;
            const pathOf = new Map(fetched.files.map((file) => [file.segment.key, file.path]));
            const files = audio.map((segment) => pathOf.get(segment.key) ?? '');
            // A local source's files are there as listed: encoded as they are read.
            if (streamSpan) return buildTrack(files, streamSpan, () => Promise.resolve());
            return buildTrack(files, await options.audioSpan(pathOf));
          }),
    );
    const afterVideo = options.afterVideo;
    const videoWork = afterVideo
      ? failFast(
          videoFetch.then((fetched) =>
            afterVideo(new Map(fetched.files.map((file) => [file.segment.key, file.path]))),
          ),
        )
      : Promise.resolve();
    // PCM: the encode goes on after this returns, until the mux has read its stream.
    const audioReady: Promise<{ stream: RecordingAacStream } | { track: AudioTrack | undefined }> =
      Promise.race([
        ...(pcm ? [handedOver.then((stream) => ({ stream }))] : []),
        audioBuild.then((track) => ({ track })),
      ]);
    const results = await Promise.allSettled([audioFetch, videoFetch, audioReady, videoWork]);
    const [audioResult, videoResult, trackResult, videoWorkResult] = results;
    if (
      audioResult.status === 'rejected' ||
      videoResult.status === 'rejected' ||
      trackResult.status === 'rejected' ||
      videoWorkResult.status === 'rejected'
    ) {
      audioBuild.catch(() => {});
      // The first failure aborted the other branches: report the cause, not the abort.
      throw signal?.aborted ? signal.reason : controller.signal.reason;
    }
    const fetched = [audioResult.value, videoResult.value];
    const pathOf = new Map(
      fetched.flatMap((result) => result.files).map((file) => [file.segment.key, file.path]),
    );
    const ready = trackResult.value;
    if ('stream' in ready) {
      // The caller's abort still stops the encoders until the track is done.
      stopListening = false;
      audioBuild.then(
        () => signal?.removeEventListener('abort', stop),
        () => signal?.removeEventListener('abort', stop),
      );
      return {
        fetched,
        pathOf,
        track: undefined,
        encoding: {
          aac: ready.stream,
          track: audioBuild as Promise<AudioTrack>,
          stop: (reason) => controller.abort(reason),
        },
        downloadSeconds,
      };
    }
    return { fetched, pathOf, track: ready.track, downloadSeconds };
  } finally {
    if (stopListening) signal?.removeEventListener('abort', stop);
  }
}

/**
 * When each downloaded segment is complete on disk, for the encoders that
 * start before the last one is: `downloadSegments` renames a file to its
 * final name only once verified (size, MD5), so a file that appears there
 * during the fetch is complete. A file already there before the fetch (a
 * resumed run) may be a stale copy the fetch is about to replace (its
 * object changed): it counts as ready only once the fetch is done.
 *
 * The fetch says how many files are done, not which: at each new count,
 * the first `2 * concurrency` files not yet seen, in the fetch's order, are
 * looked for. The fetch starts its GETs in that order, `concurrency` at a
 * time, so every file it finishes is among them: a bounded number of
 * `stat`s per file (looking for every file each time cost 65,000 `stat`s
 * and seconds of CPU on a 1-hour window).
 */
async function watchDownloads(segments: readonly Segment[], dir: string, concurrency: number) {
  const paths = segments.map((segment) => segmentPath(dir, segment));
  const kindDir = join(dir, segments[0]?.kind ?? 'audio');
  const before = new Set(await readdir(kindDir).catch(() => [] as string[]));
  const indexOf = new Map(segments.map((segment, index) => [segment, index]));
  const isNew = (index: number) => !before.has(basename(paths[index] as string));
  /** Files not there before the fetch, in the fetch's order (`fetching`). */
  let pending: number[] = [];
  const done = new Uint8Array(segments.length);
  const waiting = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  let settled: { ok: true } | { ok: false; error: unknown } | undefined;
  let fetched: Promise<unknown> = Promise.resolve();
  let files = -1;
  let head = 0;
  let scanning = false;
  let rescan = false;
  const scan = async () => {
    if (scanning) {
      rescan = true;
      return;
    }
    scanning = true;
    try {
      do {
        rescan = false;
        while (head < pending.length && done[pending[head] as number]) head++;
        const batch: number[] = [];
        for (let at = head; at < pending.length && batch.length < 2 * concurrency; at++) {
          if (!done[pending[at] as number]) batch.push(pending[at] as number);
        }
        await Promise.all(
          batch.map((index) =>
            stat(paths[index] as string).then(
              () => {
                done[index] = 1;
                waiting.get(index)?.resolve();
                waiting.delete(index);
              },
              () => {}, // not yet
            ),
          ),
        );
      } while (rescan && !settled);
    } finally {
      scanning = false;
    }
  };
  return {
    paths,
    /** The segments about to be fetched, in the fetch's order. */
    fetching(order: readonly Segment[]) {
      pending = order.map((segment) => indexOf.get(segment) as number).filter(isNew);
      head = 0;
    },
    /** Segments a finished fetch got: complete on disk. */
    fetched(order: readonly Segment[]) {
      for (const segment of order) {
        const index = indexOf.get(segment) as number;
        done[index] = 1;
        waiting.get(index)?.resolve();
        waiting.delete(index);
      }
    },
    ready(index: number): Promise<void> {
      if (settled) return settled.ok ? Promise.resolve() : Promise.reject(settled.error);
      if (done[index]) return Promise.resolve();
      if (!isNew(index)) return fetched.then(() => undefined);
      return new Promise<void>((resolve, reject) => {
        waiting.set(index, { resolve, reject });
      });
    },
    onProgress(count: number) {
      if (count === files) return;
      files = count;
      void scan();
    },
    settle(fetch: Promise<unknown>) {
      fetched = fetch;
      fetch.then(
        () => {
          settled = { ok: true };
          for (const { resolve } of waiting.values()) resolve();
          waiting.clear();
        },
        (error: unknown) => {
          settled = { ok: false, error };
          for (const { reject } of waiting.values()) reject(error);
          waiting.clear();
        },
      );
    },
  };
}

/**
 * The audio for the encoders: the first segment alone, whose header tells
 * the sample rate and so where each encoder's audio begins (its pre-roll
 * is 65.5 s at 8 kHz, 10.9 s at 48 kHz), then the others in the order that
 * feeds every encoder at once (`encoderOrder`). One result for both.
 */
async function fetchForEncoders(
  audio: readonly Segment[],
  span: TimeRange,
  watch: Awaited<ReturnType<typeof watchDownloads>>,
  fetchSome: (
    kind: SegmentKind,
    segments: Segment[],
    onFiles?: (files: number) => void,
    base?: number,
  ) => Promise<DownloadResult>,
): Promise<DownloadResult> {
  const sorted = [...audio].sort((a, b) => a.epoch - b.epoch);
  const first = sorted.slice(0, 1);
  watch.fetching(first);
  const head = await fetchSome('audio', first, watch.onProgress);
  watch.fetched(first);
  const file = head.files[0]?.path;
  // A damaged first segment: the pre-roll at 48 kHz, the usual rate (only the order depends on it).
  const rate =
    file === undefined
      ? 48_000
      : await readWavInfo(file).then(
          (info) => info.format.sampleRate,
          () => 48_000,
        );
  const rest = encoderOrder(sorted.slice(1), span, availableParallelism(), aacPrerollSeconds(rate));
  watch.fetching(rest);
  const tail = await fetchSome('audio', rest, watch.onProgress, head.bytesDownloaded + head.bytesSkipped);
  return {
    files: [...head.files, ...tail.files],
    bytesDownloaded: head.bytesDownloaded + tail.bytesDownloaded,
    bytesSkipped: head.bytesSkipped + tail.bytesSkipped,
    requests: head.requests + tail.requests,
  };
}

/**
 * The audio segments in the order that feeds every encoder at once: the
 * encode is split in `parallelism` parts of the span (one per core, as
 * `encodeAac` splits it, each part from its pre-roll on), and the
 * segments are taken from each part in turn, so that the last encoder does
 * not wait for the first's audio to download. Only the download order: the
 * files and the recording are the same in any order.
 */
function encoderOrder(
  segments: readonly Segment[],
  span: TimeRange,
  parallelism: number,
  prerollSeconds: number,
): Segment[] {
  const length = span.end - span.start;
  // encodeAac's split: one part per core, none shorter than 10 s.
  const parts = Math.max(1, Math.min(parallelism, Math.floor(length / 10)));
  const sorted = [...segments].sort((a, b) => a.epoch - b.epoch);
  // Part k starts with the segment that covers its first input sample.
  const firsts = [0];
  for (let k = 1; k < parts; k++) {
    const from = span.start + (k * length) / parts - prerollSeconds;
    const after = sorted.findIndex((segment) => segment.epoch > from);
    const index = after === -1 ? sorted.length - 1 : Math.max(0, after - 1);
    firsts.push(Math.max(index, firsts.at(-1) as number));
  }
  firsts.push(sorted.length);
  const ordered: Segment[] = [];
  for (let step = 0; ordered.length < sorted.length; step++) {
    for (let k = 0; k < parts; k++) {
      const index = (firsts[k] as number) + step;
      if (index < (firsts[k + 1] as number)) ordered.push(sorted[index] as Segment);
    }
  }
  return ordered;
}
