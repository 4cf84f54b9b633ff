import type { ProgressListener, RecWarning } from '@rec/core';
import { TS_CLOCK } from '../clock.js';
import type { EsWarningCode } from '../EsWarningCode.js';
import { readTs } from './readTs.js';
import { StreamType } from './StreamType.js';
import { TIMESTAMP_MODULO } from './tsPacket.js';

/** One elementary stream of a TS, as {@link summarizeTs} sums it up. */
export interface TsStreamSummary {
  pid: number;
  /** stream_type from the PMT (ISO/IEC 13818-1 Table 2-34). */
  streamType: number;
  /** `h264`, `hevc`, `aac`, or the stream_type in hex (`0x81`) for others. */
  codec: string;
  /** PES packets with a PTS: pictures, or ADTS frames as `muxAudio`/`muxSegments` write them (one per PES). */
  frames: number;
  /**
   * From the first presentation time to the last plus one frame step (the
   * median step between presentation times); absent without any PTS.
   */
  durationSeconds?: number;
}

export interface TsSummary {
  /** From the earliest first PTS of the audio and video streams to the latest end (last PTS plus its step). */
  durationSeconds?: number;
  /** The first video stream of the PMT. */
  video?: TsStreamSummary;
  /** The first audio stream of the PMT. */
  audio?: TsStreamSummary;
  /** Every elementary stream, in PMT order. */
  streams: TsStreamSummary[];
  /** What the reader recovered from (`TS_*`). */
  warnings: RecWarning<EsWarningCode>[];
}

export interface SummarizeTsOptions {
  signal?: AbortSignal;
  /** After each chunk: bytes read so far. */
  onProgress?: ProgressListener;
}

/** stream_types that carry video / audio (Table 2-34 and the ATSC/DVB registrations ffmpeg knows). */
const VIDEO_TYPES = new Set<number>([
  0x01,
  0x02,
  0x10,
  StreamType.H264,
  StreamType.Hevc,
  0x33,
  0x42,
  0xd1,
  0xea,
]);
const AUDIO_TYPES = new Set<number>([
  0x03,
  0x04,
  StreamType.AacAdts,
  0x11,
  0x1c,
  0x81,
  0x82,
  0x83,
  0x86,
  0x87,
]);
const CODEC_NAMES: Record<number, string> = {
  [StreamType.H264]: 'h264',
  [StreamType.Hevc]: 'hevc',
  [StreamType.AacAdts]: 'aac',
};

/** Presentation times kept per stream to find its frame step; the rest only move the first and last. */
const STEP_SAMPLE = 4096;
/** A PTS this far below the previous one of its PID has wrapped past 2^33 (and the reverse). */
const HALF_RANGE = TIMESTAMP_MODULO / 2;

interface PtsSpan {
  frames: number;
  first: number;
  last: number;
  /** The previous PTS as carried, and what unwraps it. */
  previous: number | undefined;
  wraps: number;
  sample: number[];
}

/**
 * What a transport stream holds, for a recording's summary: per elementary
 * stream the pictures or frames and the duration they cover, and the
 * duration of the whole, read with {@link readTs} in one pass. Memory stays
 * bounded whatever the length (no PES, PCR or section list is kept), and
 * PTS that wrap past 2^33 (26.5 h) are unwrapped, so long recordings come out
 * whole. Rejects as `readTs` does.
 */
export async function summarizeTs(
  source: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: SummarizeTsOptions = {},
): Promise<TsSummary> {
  const spans = new Map<number, PtsSpan>();
  const result = await readTs(source, {
    signal: options.signal,
    onProgress: options.onProgress,
    onPcr: () => {},
    onSection: () => {},
    onPes: ({ pid, pts }) => {
      if (pts === undefined) return;
      let span = spans.get(pid);
      if (!span) {
        span = { frames: 0, first: Infinity, last: -Infinity, previous: undefined, wraps: 0, sample: [] };
        spans.set(pid, span);
      }
      if (span.previous !== undefined) {
        if (pts - span.previous < -HALF_RANGE) span.wraps++;
        else if (pts - span.previous > HALF_RANGE) span.wraps--;
      }
      span.previous = pts;
      const time = pts + span.wraps * TIMESTAMP_MODULO;
      span.frames++;
      if (time < span.first) span.first = time;
      if (time > span.last) span.last = time;
      if (span.sample.length < STEP_SAMPLE) span.sample.push(time);
    },
  });
  const summary: TsSummary = { streams: [], warnings: result.warnings };
  let start = Infinity;
  let end = -Infinity;
  for (const { pid, streamType } of result.streams) {
    const span = spans.get(pid);
    const stream: TsStreamSummary = {
      pid,
      streamType,
      codec: CODEC_NAMES[streamType] ?? `0x${streamType.toString(16)}`,
      frames: span?.frames ?? 0,
    };
    summary.streams.push(stream);
    const isVideo = VIDEO_TYPES.has(streamType);
    const isAudio = AUDIO_TYPES.has(streamType);
    if (isVideo) summary.video ??= stream;
    if (isAudio) summary.audio ??= stream;
    if (!span) continue;
    const streamEnd = span.last + medianStep(span.sample);
    stream.durationSeconds = (streamEnd - span.first) / TS_CLOCK;
    if (isVideo || isAudio) {
      start = Math.min(start, span.first);
      end = Math.max(end, streamEnd);
    }
  }
  if (end > start) summary.durationSeconds = (end - start) / TS_CLOCK;
  return summary;
}

/** The median step between sorted presentation times (0 with fewer than two). */
function medianStep(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const steps = sorted.slice(1).map((time, i) => time - sorted[i]!);
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] ?? 0;
}
