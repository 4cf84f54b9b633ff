import { join } from 'node:path';
import { makeProgress, ProgressUnit, type TimeRange } from '@rec/core';
import {
  AudioChunkCodec,
  type AudioTrack,
  AudioTrackPhase,
  type AudioTrackPlan,
  buildAudioTrack,
} from '@rec/mux';
import type { DownloadResult, S3Stats, Segment, SegmentKind, SegmentSource } from '@rec/s3-segments';
import { asRecordProgress } from './asRecordProgress.js';
import { RecordPhase, type RecordProgress } from './RecordOptions.js';

export interface FetchAndEncodeOptions {
  source: SegmentSource;
  video: Segment[];
  audio: Segment[];
  /** Timeline seconds the audio track presents, once its segments are on disk (their local files given). */
  audioSpan: (pathOf: ReadonlyMap<string, string>) => Promise<TimeRange>;
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
}

export interface Fetched {
  fetched: DownloadResult[];
  /** Local file of every segment key. */
  pathOf: Map<string, string>;
  track: AudioTrack | undefined;
  /** Until the last segment was on disk. */
  downloadSeconds: number;
}

const nothingFetched: DownloadResult = { files: [], bytesDownloaded: 0, bytesSkipped: 0, requests: 0 };

/**
 * Downloads the audio and the video segments side by side, each kind with
 * `concurrency` GETs of its own (so a stalled audio download never holds
 * the video back, nor the reverse), and joins and encodes the audio as soon
 * as its segments are on disk, while the video still downloads: the encode
 * is most of a recording's CPU time, the video download mostly waiting.
 * The audio is the smaller download, so its encode starts early. One
 * failing branch stops the others; the first failure (or the caller's
 * abort reason) is what rejects.
 *
 * Each kind downloads into a directory of its own (`<dir>/<kind>`): two
 * downloads at once must not share one resume state file.
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
  /** The first failure stops every branch; the rejection it gets is its own. */
  const failFast = <T>(work: Promise<T>) =>
    work.catch((error: unknown) => {
      controller.abort(error);
      throw error;
    });
  const fetchKind = (kind: SegmentKind, segments: Segment[]) =>
    failFast(
      (segments.length === 0
        ? Promise.resolve(nothingFetched)
        : source.fetch(segments, {
            dir: join(options.dir, kind),
            concurrency: options.concurrency ?? 16,
            stats: options.stats,
            signal: controller.signal,
            onProgress: (progress) => {
              transferred[kind] = progress.transferred;
              onProgress?.(
                asRecordProgress(
                  RecordPhase.Download,
                  makeProgress(transferred.video + transferred.audio, totalBytes, ProgressUnit.Bytes),
                ),
              );
            },
          })
      ).then((result) => {
        if (--downloading === 0) downloadSeconds = (performance.now() - started) / 1000;
        return result;
      }),
    );

  try {
    const audioFetch = fetchKind('audio', audio);
    const videoFetch = fetchKind('video', video);
    const audioBuild = failFast(
      audioFetch.then(async (fetched) => {
        if (audio.length === 0) return undefined;
        const pathOf = new Map(fetched.files.map((file) => [file.segment.key, file.path]));
        return buildAudioTrack({
          chunks: audio.map((segment) => ({
            file: pathOf.get(segment.key) ?? '',
            startTime: segment.epoch,
            name: segment.key,
            codec: segment.codec === 'aac' ? AudioChunkCodec.Aac : AudioChunkCodec.Pcm,
          })),
          window: await options.audioSpan(pathOf),
          output: join(options.tempDir, 'audio.aac'),
          strict: options.strict,
          ffmpegPath: options.ffmpegPath,
          signal: controller.signal,
          onPlan: options.onAudioPlan,
          onProgress: ({ phase, ...progress }) => {
            if (downloading > 0) return;
            const step = phase === AudioTrackPhase.Join ? RecordPhase.Audio : RecordPhase.Encode;
            onProgress?.(asRecordProgress(step, progress));
          },
        });
      }),
    );
    const results = await Promise.allSettled([audioFetch, videoFetch, audioBuild]);
    const [audioResult, videoResult, trackResult] = results;
    if (
      audioResult.status === 'rejected' ||
      videoResult.status === 'rejected' ||
      trackResult.status === 'rejected'
    ) {
      // The first failure aborted the other branches: report the cause, not the abort.
      throw signal?.aborted ? signal.reason : controller.signal.reason;
    }
    const fetched = [audioResult.value, videoResult.value];
    return {
      fetched,
      pathOf: new Map(fetched.flatMap((result) => result.files).map((file) => [file.segment.key, file.path])),
      track: trackResult.value,
      downloadSeconds,
    };
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
