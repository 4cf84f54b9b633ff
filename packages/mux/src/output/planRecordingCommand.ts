import type { Readable } from 'node:stream';
import { TS_CLOCK } from '@rec/es-ts';
import type { FfmpegInput, FfmpegOutput } from '../ffmpeg/runFfmpeg.js';
import { planVideoTimescale } from './planVideoTimescale.js';

export interface RecordingCommandInput {
  /** MPEG-TS with PTS = (t - origin) * 90000 + basePts for timeline second t. */
  video?: { stream: Readable; origin: number; basePts: number };
  /**
   * AAC in ADTS (a file, or a stream on a pipe), stream-copied. `offset`: seconds from `window.start` to the
   * start of its first frame (negative: the encoder's priming frame comes
   * before `start`, and the MP4 edit list hides it).
   */
  audio?: { adts: string | Readable; offset: number };
  window: { start: number; end: number };
  /** Where ffmpeg writes (the `.part` path). */
  target: string;
}

export interface RecordingCommand {
  inputs: FfmpegInput[];
  outputs: FfmpegOutput[];
  globalOptions: string[];
  /** The video track timescale (see `planVideoTimescale`). */
  videoTimescale?: number;
}

/** ffmpeg wants plain decimals: never `1e-7`. */
export const seconds = (value: number): string => value.toFixed(6);

/**
 * The single ffmpeg command that assembles an MP4 recording (a TS is never
 * written by ffmpeg: es-ts writes it).
 *
 * `-copyts` keeps the TS timestamps, and `-itsoffset -(PTS of start)` on
 * the TS input moves `window.start` to 0. The keyframe before `start` (and
 * the B-frames decoded before it) get negative times; the mov muxer keeps
 * them and writes an edit list whose media_time skips to `start`
 * (`-use_editlist 1`). `-t` stops the copy after `end` (in decode order);
 * the frames it keeps past `end` are hidden by clamping the edit list
 * afterwards (see clampMp4Duration). The AAC's `-itsoffset` puts its
 * first real sample at 0, so its priming frame is at a negative time too and
 * the audio edit list skips it, as it does when ffmpeg encodes in-process.
 * Audio-only MP4 needs `-copyts` for the same reason. Both streams are
 * copied: no encoding happens in this command.
 *
 * Video track timescale: `planVideoTimescale(end - start)`, 90 kHz up to
 * 6.4 h, so that no hole is longer than one sample can say.
 */
export function planRecordingCommand(input: RecordingCommandInput): RecordingCommand {
  const { video, audio, window, target } = input;
  const length = window.end - window.start;
  const startPts = video ? window.start - video.origin + video.basePts / TS_CLOCK : 0;
  const inputs: FfmpegInput[] = [];
  const maps: string[] = [];
  if (video) {
    inputs.push({
      source: video.stream,
      options: ['-itsoffset', seconds(-startPts), '-thread_queue_size', '1024', '-f', 'mpegts'],
    });
    maps.push('-map', '0:v');
  }
  if (audio) {
    const options = ['-f', 'aac'];
    // A pipe's packets queue ahead of the muxer: ffmpeg polls a piped input without blocking and
    // sleeps 10 ms whenever its queue (8 packets by default) is empty, which paced a 5-min mux
    // to 40 s of audio per second.
    if (typeof audio.adts !== 'string') options.unshift('-thread_queue_size', '1024');
    if (audio.offset !== 0) options.unshift('-itsoffset', seconds(audio.offset));
    inputs.push({ source: typeof audio.adts === 'string' ? `file:${audio.adts}` : audio.adts, options });
    maps.push('-map', `${inputs.length - 1}:a:0`);
  }
  const codecs = [
    ...(video ? ['-c:v', 'copy'] : []),
    ...(audio ? ['-c:a', 'copy'] : []),
    '-max_muxing_queue_size',
    '4096',
  ];
  const videoTimescale = video ? planVideoTimescale(length) : undefined;
  return {
    inputs,
    outputs: [
      {
        target: `file:${target}`,
        options: [
          ...maps,
          ...codecs,
          ...(videoTimescale ? ['-video_track_timescale', String(videoTimescale)] : []),
          ...['-t', seconds(length), '-use_editlist', '1', '-movflags', '+faststart', '-f', 'mp4'],
        ],
      },
    ],
    // -y: the target is our `.part` file; one left by a killed run is ours to overwrite
    // (without it ffmpeg stops with "File '...part' already exists").
    globalOptions: ['-y', '-copyts'],
    videoTimescale,
  };
}
