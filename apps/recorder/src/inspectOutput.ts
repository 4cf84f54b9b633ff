import { createReadStream } from 'node:fs';
import { readTs, StreamType } from '@rec/es-ts';
import { probeRecording } from '@rec/mux';
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

const codecOfStreamType: Record<number, string> = {
  [StreamType.H264]: 'h264',
  [StreamType.Hevc]: 'hevc',
  [StreamType.AacAdts]: 'aac',
};

/** Span of presentation times plus one frame (the median step), in seconds. */
function span(pts: number[]): number | undefined {
  if (pts.length === 0) return undefined;
  const sorted = [...pts].sort((a, b) => a - b);
  const steps = sorted.slice(1).map((value, i) => value - (sorted[i] ?? value));
  const step = steps.sort((a, b) => a - b)[Math.floor(steps.length / 2)] ?? 0;
  return ((sorted.at(-1) ?? 0) - (sorted[0] ?? 0) + step) / 90_000;
}

/**
 * What the recording holds, for the summary: ffprobe for MP4 (one call), our
 * own TS reader for TS (no ffprobe needed, and some static ffprobe builds
 * crash on the SDT that ffmpeg's TS muxer writes).
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
  const pts = new Map<number, number[]>();
  const result = await readTs(createReadStream(file, { highWaterMark: 1024 * 1024 }), {
    signal,
    onPes: (pes) => {
      if (pes.pts === undefined) return;
      const list = pts.get(pes.pid) ?? [];
      list.push(pes.pts);
      pts.set(pes.pid, list);
    },
  });
  const summary: OutputSummary = {};
  for (const stream of result.streams) {
    const codec = codecOfStreamType[stream.streamType] ?? `0x${stream.streamType.toString(16)}`;
    const times = pts.get(stream.pid) ?? [];
    const durationSeconds = span(times);
    const entry = { codec, frames: times.length, durationSeconds };
    if (codec === 'aac') summary.audio ??= entry;
    else summary.video ??= entry;
  }
  const all = [...pts.values()].flat();
  const total = span(all);
  if (total !== undefined) summary.durationSeconds = total;
  return summary;
}
