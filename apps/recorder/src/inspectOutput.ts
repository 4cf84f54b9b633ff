import { createReadStream } from 'node:fs';
import { summarizeTs } from '@rec/es-ts';
import { probeRecording, type WriteRecordingResult } from '@rec/mux';
import type { OutputFormat } from './RecordOptions.js';

export interface StreamSummary {
  codec: string;
  frames?: number;
  durationSeconds?: number;
}

export interface OutputSummary {
  durationSeconds?: number;
  video?: StreamSummary;
  audio?: StreamSummary;
}

/**
 * What the recording holds, for the summary: ffprobe for MP4 (one call),
 * es-ts's `summarizeTs` for TS (our own reader: no ffprobe needed, and some
 * static ffprobe builds crash on the SDT that ffmpeg's TS muxer writes).
 */
export async function inspectOutput(
  file: string,
  format: OutputFormat,
  signal?: AbortSignal,
): Promise<OutputSummary> {
  if (format === 'mp4') {
    const probed = await probeRecording(file, { signal });
    const pick = (type: string): StreamSummary | undefined => {
      const stream = probed.streams.find((candidate) => candidate.type === type);
      if (!stream) return undefined;
      return { codec: stream.codec, frames: stream.frames, durationSeconds: stream.durationSeconds };
    };
    return { durationSeconds: probed.durationSeconds, video: pick('video'), audio: pick('audio') };
  }
  const summary = await summarizeTs(createReadStream(file, { highWaterMark: 1024 * 1024 }), { signal });
  const pick = (stream: (typeof summary)['video']): StreamSummary | undefined =>
    stream && { codec: stream.codec, frames: stream.frames, durationSeconds: stream.durationSeconds };
  return { durationSeconds: summary.durationSeconds, video: pick(summary.video), audio: pick(summary.audio) };
}

/**
 * What an MP4 recording holds, from what was written, without reading it
 * again: the movie and track durations from the edit lists `writeRecording`
 * clamped (ffprobe gives a track with an edit list the edit list's
 * duration, and the movie mvhd's), the codecs as the segments and the
 * encoder wrote them. The frames come from es-ts (`presentedFrames`), set by
 * the caller. `inspectOutput` (`verify`) reads the same numbers with ffprobe.
 */
export function writtenMp4Summary(
  written: Pick<WriteRecordingResult, 'durationSeconds' | 'videoSeconds' | 'audioSeconds'>,
  streams: { video?: string; audio?: boolean },
): OutputSummary {
  return {
    durationSeconds: written.durationSeconds,
    video:
      streams.video === undefined
        ? undefined
        : { codec: streams.video, durationSeconds: written.videoSeconds },
    audio: streams.audio ? { codec: 'aac', durationSeconds: written.audioSeconds } : undefined,
  };
}
