import { runFfmpeg } from './ffmpeg.js';

/** A moving test pattern (ffmpeg's `testsrc2`) and how to encode it. */
export interface TestVideoOptions {
  codec?: 'h264' | 'hevc';
  /** Default 2. */
  seconds?: number;
  /** `WIDTHxHEIGHT`, default `320x180`. */
  size?: string;
  /** Frames per second, default 25; a ratio such as `30000/1001` for NTSC rates. */
  fps?: number | `${number}/${number}`;
  /** Frames per GOP, every one starting with a keyframe (no scene cuts); default one second (`fps`). */
  gop?: number;
  /** Consecutive B-frames (0 = none; 2 and up use a B-pyramid with x264). Default 0. */
  bframes?: number;
  /** Open GOPs (HEVC CRA pictures, x264 open-gop). Default false: every GOP starts with an IDR. */
  openGop?: boolean;
  /** Access unit delimiters in the stream. Default false (cameras rarely write them). */
  aud?: boolean;
  /** SPS/PPS (VPS) before every keyframe, as cameras write them. Default false. */
  repeatHeaders?: boolean;
  /** x264/x265 CRF: higher = smaller files. Default: the encoder's. */
  crf?: number;
  /** Slices per picture (x264/x265 `slices`). Default: the encoder's (one). */
  slices?: number;
  /** Encoder preset. Default `veryfast` (x264), `ultrafast` (x265). */
  preset?: string;
  /** Target bit rate (`-b:v`, e.g. `8M`). Default: the encoder's rate control (CRF). */
  bitrate?: string;
  /** More x264/x265 parameters (`b-adapt=0`), after the ones above. */
  params?: readonly string[];
}

/** A tone (ffmpeg's `sine`) or an `aevalsrc` expression, and how to encode it. */
export interface TestAudioOptions {
  /** Default 2. */
  seconds?: number;
  /** Default 48000. */
  sampleRate?: number;
  /** Default 1, or the number of `channelTones`. */
  channels?: number;
  /** Hz of the sine, default 440. */
  frequency?: number;
  /** Beeps of `beepFactor` times the frequency once a second (see ffmpeg's `sine`). */
  beepFactor?: number;
  /** Samples per frame of the source (e.g. `sampleRate / 25` so cuts fall on frame boundaries). */
  samplesPerFrame?: number;
  /** An `aevalsrc` expression (`sin(440*2*PI*t)`) instead of the sine. */
  expression?: string;
  /**
   * A sine of its own per channel instead of `frequency`/`beepFactor` on every
   * channel (channel i plays `channelTones[i]`; ffmpeg's `amerge`), so the
   * channels differ.
   */
  channelTones?: readonly ChannelTone[];
  /** Default `pcm_s16le`. */
  codec?: 'pcm_s16le' | 'pcm_s24le' | 'pcm_f32le' | 'aac' | 'libopus';
  /** Target bit rate of a compressed codec (`-b:a`, e.g. `64k`). Default: the encoder's. */
  bitrate?: string;
}

/** The sine of one channel: `frequency` Hz, with beeps of `beepFactor` times it once a second. */
export interface ChannelTone {
  frequency: number;
  beepFactor?: number;
}

/**
 * A test video and a tone of the same length in one file, as a DASH packager
 * or a camera's MP4 has them: video from input 0, audio from input 1.
 */
export interface TestMediaOptions {
  /** Of both streams, default 2. */
  seconds?: number;
  video?: Omit<TestVideoOptions, 'seconds'>;
  audio?: Omit<TestAudioOptions, 'seconds'>;
}

export interface EncodeOptions {
  /** ffmpeg output format (`-f`): `mpegts`, `h264`, `hevc`, `adts`, `wav`, `segment`...; default from the file name. */
  format?: string;
  /** More output options, placed before the output (e.g. `-segment_time 2`). */
  outputArgs?: readonly string[];
}

/** The lavfi input of a test video: `-f lavfi -i testsrc2=... -t <seconds> -pix_fmt yuv420p`. */
export function testVideoInput(options: TestVideoOptions = {}): string[] {
  const { seconds = 2 } = options;
  return ['-f', 'lavfi', '-i', testVideoSource(options), '-t', String(seconds), '-pix_fmt', 'yuv420p'];
}

/**
 * The encoder options of a test video: libx264 (`veryfast`) or libx265
 * (`ultrafast`), fixed GOPs without scene cuts, the B-frames, AUDs and
 * header repetition asked for.
 */
export function testVideoEncoder(options: TestVideoOptions = {}): string[] {
  const {
    codec = 'h264',
    fps = 25,
    bframes = 0,
    openGop = false,
    aud = false,
    repeatHeaders = false,
  } = options;
  const gop = options.gop ?? Math.round(framesPerSecond(fps));
  const params = [
    `keyint=${gop}`,
    `min-keyint=${gop}`,
    'scenecut=0',
    `bframes=${bframes}`,
    ...(codec === 'h264' ? [`b-pyramid=${bframes >= 2 ? 'normal' : 'none'}`] : []),
    `open-gop=${openGop ? 1 : 0}`,
    ...(aud ? ['aud=1'] : []),
    ...(repeatHeaders ? ['repeat-headers=1'] : []),
    ...(codec === 'hevc' ? ['log-level=error'] : []),
    ...(options.slices === undefined ? [] : [`slices=${options.slices}`]),
    ...(options.params ?? []),
  ].join(':');
  const rate = [
    ...(options.crf === undefined ? [] : ['-crf', String(options.crf)]),
    ...(options.bitrate === undefined ? [] : ['-b:v', options.bitrate]),
  ];
  return codec === 'h264'
    ? ['-c:v', 'libx264', '-preset', options.preset ?? 'veryfast', '-x264-params', params, ...rate]
    : ['-c:v', 'libx265', '-preset', options.preset ?? 'ultrafast', '-x265-params', params, ...rate];
}

/** Encodes a test video to `output` (a TS, a raw Annex-B stream, segments...); returns `output`. */
export async function encodeTestVideo(
  output: string,
  options: TestVideoOptions & EncodeOptions = {},
): Promise<string> {
  await runFfmpeg([
    ...['-v', 'error', ...testVideoInput(options), ...testVideoEncoder(options)],
    ...outputArgs(options, output),
  ]);
  return output;
}

/**
 * The lavfi input of a test tone: `-f lavfi -i sine=...` (or `aevalsrc=...`,
 * or one sine per channel merged: `sine=...[c0];sine=...[c1];[c0][c1]amerge=inputs=2`)
 * `-t <seconds>`.
 */
export function testAudioInput(options: TestAudioOptions = {}): string[] {
  const { seconds = 2 } = options;
  return ['-f', 'lavfi', '-i', testAudioSource(options), '-t', String(seconds)];
}

/** The encoder options of a test tone: `-ac <channels> -c:a <codec>`, and `-b:a` when asked. */
export function testAudioEncoder(options: TestAudioOptions = {}): string[] {
  const { channels = options.channelTones?.length ?? 1, codec = 'pcm_s16le' } = options;
  return [
    ...['-ac', String(channels), '-c:a', codec],
    ...(options.bitrate === undefined ? [] : ['-b:a', options.bitrate]),
  ];
}

/** Encodes a test tone to `output` (WAV, ADTS, segments...); returns `output`. */
export async function encodeTestAudio(
  output: string,
  options: TestAudioOptions & EncodeOptions = {},
): Promise<string> {
  await runFfmpeg([
    ...['-v', 'error', ...testAudioInput(options), ...testAudioEncoder(options)],
    ...outputArgs(options, output),
  ]);
  return output;
}

/**
 * The lavfi inputs of a test video (input 0) and a tone (input 1):
 * `-f lavfi -i testsrc2=... -f lavfi -i sine=... -t <seconds> -pix_fmt yuv420p`.
 * `-t` and `-pix_fmt` come after both inputs, where they are output options
 * (before the second input they would be that input's).
 */
export function testMediaInput(options: TestMediaOptions = {}): string[] {
  const { seconds = 2, video = {}, audio = {} } = options;
  return [
    ...['-f', 'lavfi', '-i', testVideoSource(video)],
    ...['-f', 'lavfi', '-i', testAudioSource(audio)],
    ...['-t', String(seconds), '-pix_fmt', 'yuv420p'],
  ];
}

/**
 * Encodes a test video and a tone into one `output` (MP4, DASH...) in one
 * command; returns `output`. Without `-map` in `outputArgs`, ffmpeg takes
 * the video of input 0 and the audio of input 1. Per-stream options
 * (`-b:v:1`, `-c:v:2`) in `outputArgs` come after the encoders' and win
 * over them for their streams.
 */
export async function encodeTestMedia(
  output: string,
  options: TestMediaOptions & EncodeOptions = {},
): Promise<string> {
  const { video = {}, audio = {} } = options;
  await runFfmpeg([
    ...['-v', 'error', ...testMediaInput(options)],
    ...testVideoEncoder(video),
    ...testAudioEncoder(audio),
    ...outputArgs(options, output),
  ]);
  return output;
}

/** testsrc2's filter graph: `testsrc2=size=...:rate=...`. */
function testVideoSource(options: TestVideoOptions): string {
  const { size = '320x180', fps = 25 } = options;
  return `testsrc2=size=${size}:rate=${fps}`;
}

/** The tone's filter graph (one `sine`, an `aevalsrc`, or a `sine` per channel merged). */
function testAudioSource(options: TestAudioOptions): string {
  const { sampleRate = 48_000, frequency = 440, beepFactor, channelTones } = options;
  const sine = (tone: ChannelTone) =>
    [
      `sine=frequency=${tone.frequency}`,
      ...(tone.beepFactor === undefined ? [] : [`beep_factor=${tone.beepFactor}`]),
      `sample_rate=${sampleRate}`,
      ...(options.samplesPerFrame === undefined ? [] : [`samples_per_frame=${options.samplesPerFrame}`]),
    ].join(':');
  let source: string;
  if (options.expression !== undefined) source = `aevalsrc=${options.expression}:s=${sampleRate}`;
  else if (channelTones === undefined) source = sine({ frequency, beepFactor });
  else {
    const labels = channelTones.map((_, i) => `[c${i}]`);
    source = [
      ...channelTones.map((tone, i) => `${sine(tone)}${labels[i]}`),
      `${labels.join('')}amerge=inputs=${channelTones.length}`,
    ].join(';');
  }
  return source;
}

function framesPerSecond(fps: number | `${number}/${number}`): number {
  if (typeof fps === 'number') return fps;
  const [num, den] = fps.split('/').map(Number);
  return num! / den!;
}

function outputArgs(options: EncodeOptions, output: string): string[] {
  return [
    ...(options.format === undefined ? [] : ['-f', options.format]),
    ...(options.outputArgs ?? []),
    output,
  ];
}
