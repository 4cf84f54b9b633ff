import type { Readable } from 'node:stream';
import type { FfmpegInput, FfmpegOutput } from '../ffmpeg/runFfmpeg.js';
import { PTS_CLOCK, planVideoTimescale } from './planVideoTimescale.js';
import { RecordingFormat } from './RecordingFormat.js';

export interface RecordingCommandInput {
  /** MPEG-TS with PTS = (t - origin) * 90000 + basePts for timeline second t. */
  video?: { stream: Readable; origin: number; basePts: number };
  /**
   * AAC in ADTS, stream-copied. `offset`: seconds from `window.start` to the
   * start of its first frame (negative: the encoder's priming frame comes
   * before `start`, and the MP4 edit list hides it).
   */
  audio?: { adts: string; offset: number };
  window: { start: number; end: number };
  /** Where ffmpeg writes (the `.part` path). */
  target: string;
  format: RecordingFormat;
}

export interface RecordingCommand {
  inputs: FfmpegInput[];
  outputs: FfmpegOutput[];
  globalOptions: string[];
  /** Output timestamp of `window.start` (progress counts from it). */
  timeOrigin: number;
  /** MP4: the video track timescale (see `planVideoTimescale`). */
  videoTimescale?: number;
}

/** ffmpeg wants plain decimals: never `1e-7`. */
export const seconds = (value: number): string => value.toFixed(6);

/**
 * The single ffmpeg command that assembles a recording.
 *
 * MP4: `-copyts` keeps the TS timestamps, and `-itsoffset -(PTS of start)`
 * on the TS input moves `window.start` to 0. The keyframe before `start`
 * (and the B-frames decoded before it) get negative times; the mov muxer
 * keeps them and writes an edit list whose media_time skips to `start`
 * (`-use_editlist 1`). `-t` stops the copy after `end` (in decode order);
 * the frames it keeps past `end` are hidden by clamping the edit list
 * afterwards (see clampMp4Duration). The AAC's `-itsoffset` puts its
 * first real sample at 0, so its priming frame is at a negative time too and
 * the audio edit list skips it, as it does when ffmpeg encodes in-process.
 * Audio-only MP4 needs `-copyts` for the same reason.
 *
 * TS: `-copyts -mpegts_copyts 1` keeps every video PTS unchanged;
 * `-itsoffset (PTS of start + offset)` places the AAC at `window.start`.
 * TS has no edit lists, so the file starts at the keyframe before `start`.
 * Both streams are copied: no encoding happens in this command.
 *
 * MP4 video track timescale: `planVideoTimescale(end - start)`, 90 kHz up
 * to 6.4 h, so that no hole is longer than one sample can say.
 */
export function planRecordingCommand(input: RecordingCommandInput): RecordingCommand {
  const { video, audio, window, target, format } = input;
  const length = window.end - window.start;
  const startPts = video ? window.start - video.origin + video.basePts / PTS_CLOCK : 0;
  const inputs: FfmpegInput[] = [];
  const maps: string[] = [];
  if (video) {
    const options = ['-thread_queue_size', '1024', '-f', 'mpegts'];
    if (format === RecordingFormat.Mp4) options.unshift('-itsoffset', seconds(-startPts));
    inputs.push({ source: video.stream, options });
    maps.push('-map', '0:v');
  }
  if (audio) {
    const offset = format === RecordingFormat.Ts ? (video ? startPts + audio.offset : 0) : audio.offset;
    const options = ['-f', 'aac'];
    if (offset !== 0) options.unshift('-itsoffset', seconds(offset));
    inputs.push({ source: `file:${audio.adts}`, options });
    maps.push('-map', `${inputs.length - 1}:a:0`);
  }
  const codecs = [
    ...(video ? ['-c:v', 'copy'] : []),
    ...(audio ? ['-c:a', 'copy'] : []),
    '-max_muxing_queue_size',
    '4096',
  ];
  // -y: the target is our `.part` file; one left by a killed run is ours to overwrite
  // (without it ffmpeg stops with "File '...part' already exists").
  const copyts = ['-y', ...(video || format === RecordingFormat.Mp4 ? ['-copyts'] : [])];
  if (format === RecordingFormat.Mp4) {
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
            '-t',
            seconds(length),
            '-use_editlist',
            '1',
            '-movflags',
            '+faststart',
            '-f',
            'mp4',
          ],
        },
      ],
      globalOptions: copyts,
      timeOrigin: 0,
      videoTimescale,
    };
  }
  return {
    inputs,
    outputs: [
      {
        target: `file:${target}`,
        options: [...maps, ...codecs, ...(video ? ['-mpegts_copyts', '1'] : []), '-f', 'mpegts'],
      },
    ],
    globalOptions: copyts,
    timeOrigin: video ? startPts : 0,
  };
}
