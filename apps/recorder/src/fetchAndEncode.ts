import { makeProgress, ProgressUnit } from '@rec/core';
import type { DownloadResult, S3Stats, Segment, SegmentSource } from '@rec/s3-segments';
import { asRecordProgress } from './asRecordProgress.js';
import { type AudioTrack, buildAudioTrack } from './buildAudioTrack.js';
import { RecordPhase, type RecordProgress } from './RecordOptions.js';

export interface FetchAndEncodeOptions {
  source: SegmentSource;
  video: Segment[];
  audio: Segment[];
  /** Timeline seconds the recording presents. */
  span: { start: number; end: number };
  /** Where the segments are downloaded. */
  dir: string;
  /** Where intermediate files (the AAC) go. */
  tempDir: string;
  stats: S3Stats;
  concurrency?: number;
  ffmpegPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: RecordProgress) => void;
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
 * Downloads the audio segments first, then the video ones while the audio
 * is joined and encoded (the encode is most of a recording's CPU time, the
 * video download mostly waiting). One failing branch stops the other; the
 * first failure (or the caller's abort reason) is what rejects.
 *
 * Progress: one download phase over all bytes; the join/encode progress is
 * reported once the download is over (the two would otherwise interleave).
 */
export async function fetchAndEncode(options: FetchAndEncodeOptions): Promise<Fetched> {
  const { source, video, audio, signal, onProgress } = options;
  const started = performance.now();
  const totalBytes = [...video, ...audio].reduce((sum, segment) => sum + segment.size, 0);
  const audioBytes = audio.reduce((sum, segment) => sum + segment.size, 0);
  let downloading = true;
  let downloadSeconds = 0;
  const fetchKind = (segments: Segment[], bytesBefore: number, kindSignal: AbortSignal) =>
    segments.length === 0
      ? Promise.resolve(nothingFetched)
      : source.fetch(segments, {
          dir: options.dir,
          concurrency: options.concurrency ?? 16,
          stats: options.stats,
          signal: kindSignal,
          onProgress: (progress) =>
            onProgress?.(
              asRecordProgress(
                RecordPhase.Download,
                makeProgress(bytesBefore + progress.transferred, totalBytes, ProgressUnit.Bytes),
              ),
            ),
        });

  const controller = new AbortController();
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const fetchedAudio = await fetchKind(audio, 0, controller.signal);
    const audioPaths = new Map(fetchedAudio.files.map((file) => [file.segment.key, file.path]));
    const videoFetch = fetchKind(video, audioBytes, controller.signal).then(
      (result) => {
        downloading = false;
        downloadSeconds = (performance.now() - started) / 1000;
        return result;
      },
      (error: unknown) => {
        controller.abort(error);
        throw error;
      },
    );
    const audioBuild =
      audio.length === 0
        ? Promise.resolve(undefined)
        : buildAudioTrack({
            segments: audio,
            pathOf: audioPaths,
            span: options.span,
            tempDir: options.tempDir,
            ffmpegPath: options.ffmpegPath,
            signal: controller.signal,
            onJoinProgress: (progress) => {
              if (!downloading) onProgress?.(asRecordProgress(RecordPhase.Audio, progress));
            },
            onEncodeProgress: (progress) => {
              if (!downloading) onProgress?.(asRecordProgress(RecordPhase.Encode, progress));
            },
          }).catch((error: unknown) => {
            controller.abort(error);
            throw error;
          });
    const [videoResult, audioResult] = await Promise.allSettled([videoFetch, audioBuild]);
    if (videoResult.status === 'rejected' || audioResult.status === 'rejected') {
      // The first failure aborted the other branch: report the cause, not the abort.
      throw signal?.aborted ? signal.reason : controller.signal.reason;
    }
    const fetched = [fetchedAudio, videoResult.value];
    return {
      fetched,
      pathOf: new Map(fetched.flatMap((result) => result.files).map((file) => [file.segment.key, file.path])),
      track: audioResult.value,
      downloadSeconds,
    };
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
