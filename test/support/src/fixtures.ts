import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTestAudio, encodeTestVideo } from './encode.js';

export interface VideoSegmentOptions {
  /** Directory that receives `<camera>/00/video/<epoch>.<ext>`. */
  dir: string;
  camera?: string;
  /** Epoch (Unix seconds) of the first segment. */
  startEpoch: number;
  count: number;
  /** Segment length in seconds; each segment starts with an IDR (default 2). */
  segmentSeconds?: number;
  fps?: number;
  width?: number;
  height?: number;
  /** Consecutive B-frames (0 = none; 3 uses a B-pyramid). */
  bframes?: number;
  codec?: 'h264' | 'hevc';
  /** x264 CRF / x265 CRF: higher = smaller files (default 28). */
  crf?: number;
  /** Epochs to leave out, to make gaps. */
  skip?: readonly number[];
}

export interface AudioSegmentOptions {
  dir: string;
  camera?: string;
  startEpoch: number;
  count: number;
  segmentSeconds?: number;
  sampleRate?: number;
  channels?: number;
  skip?: readonly number[];
  /**
   * `pcm` (default): WAV chunks of exactly `segmentSeconds`. `aac`: one
   * continuous AAC-LC encode (ffmpeg's `aac`, 1024-sample frames) cut into
   * ADTS files at frame boundaries, as a continuous encoder's segmenter
   * does: a segment holds the frames starting in its nominal span, so its
   * real length is not a whole number of seconds; it is named by the
   * nominal epoch.
   */
  codec?: 'pcm' | 'aac';
}

export interface MadeSegments {
  /** Absolute paths, in epoch order. */
  files: string[];
  epochs: number[];
}

/** `<dir>/<camera>/00/<kind>`, the legacy layout. */
export const segmentDir = (dir: string, camera: string, kind: 'video' | 'audio') =>
  join(dir, camera, '00', kind);

/** Where and how many segments to place, and which to leave out. */
interface Placement {
  dir: string;
  camera: string;
  startEpoch: number;
  count: number;
  segmentSeconds: number;
  skip: readonly number[];
}

/**
 * Runs `encode` (ffmpeg's segment muxer) on a scratch pattern `%05d.<ext>`,
 * then renames its numbered files to `<dir>/<camera>/00/<kind>/<epoch>.<ext>`,
 * dropping skipped ones.
 */
async function encodeSegments(
  kind: 'video' | 'audio',
  ext: string,
  placement: Placement,
  encode: (pattern: string) => Promise<unknown>,
): Promise<MadeSegments> {
  const { dir, camera, startEpoch, count, segmentSeconds, skip } = placement;
  const scratch = await mkdtemp(join(tmpdir(), `rec-fixture-${kind}-`));
  try {
    await encode(join(scratch, `%05d.${ext}`));
    const made = (await readdir(scratch)).filter((name) => name.endsWith(`.${ext}`)).sort();
    if (made.length !== count) {
      throw new Error(`ffmpeg made ${made.length} .${ext} segments, expected ${count}`);
    }
    const target = segmentDir(dir, camera, kind);
    await mkdir(target, { recursive: true });
    const files: string[] = [];
    const epochs: number[] = [];
    for (const [index, name] of made.entries()) {
      const epoch = startEpoch + index * segmentSeconds;
      if (skip.includes(epoch)) continue;
      const file = join(target, `${epoch}.${ext}`);
      await rename(join(scratch, name), file);
      files.push(file);
      epochs.push(epoch);
    }
    return { files, epochs };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Encodes a moving test pattern with libx264/libx265 into raw Annex-B
 * segments, one closed GOP per segment, named by their start epoch.
 */
export async function makeVideoSegments(options: VideoSegmentOptions): Promise<MadeSegments> {
  const {
    dir,
    camera = 'cam1',
    startEpoch,
    count,
    segmentSeconds = 2,
    fps = 25,
    width = 320,
    height = 180,
    bframes = 0,
    codec = 'h264',
    crf = 28,
    skip = [],
  } = options;
  const ext = codec === 'h264' ? 'h264' : 'h265';
  return encodeSegments('video', ext, { dir, camera, startEpoch, count, segmentSeconds, skip }, (pattern) =>
    encodeTestVideo(pattern, {
      codec,
      seconds: count * segmentSeconds,
      size: `${width}x${height}`,
      fps,
      gop: fps * segmentSeconds,
      bframes,
      repeatHeaders: true,
      crf,
      format: 'segment',
      outputArgs: ['-segment_time', String(segmentSeconds), '-segment_format', codec],
    }),
  );
}

function withAudioDefaults(options: AudioSegmentOptions) {
  return {
    ...options,
    camera: options.camera ?? 'cam1',
    segmentSeconds: options.segmentSeconds ?? 2,
    sampleRate: options.sampleRate ?? 48_000,
    channels: options.channels ?? 1,
    skip: options.skip ?? [],
  };
}

/** Writes PCM s16le WAV chunks of a sine tone, exactly `segmentSeconds` each. */
export async function makeAudioSegments(options: AudioSegmentOptions): Promise<MadeSegments> {
  if (options.codec === 'aac') return makeAacSegments(options);
  const defaults = withAudioDefaults(options);
  const { count, segmentSeconds, sampleRate, channels } = defaults;
  // Frames of 1/25 s so that segment boundaries fall on frame boundaries.
  return encodeSegments('audio', 'wav', defaults, (pattern) =>
    encodeTestAudio(pattern, {
      seconds: count * segmentSeconds,
      sampleRate,
      channels,
      samplesPerFrame: sampleRate / 25,
      format: 'segment',
      outputArgs: ['-segment_time', String(segmentSeconds), '-segment_format', 'wav'],
    }),
  );
}

/** `makeAudioSegments` with `codec: 'aac'`. */
async function makeAacSegments(options: AudioSegmentOptions): Promise<MadeSegments> {
  const { dir, camera, startEpoch, count, segmentSeconds, sampleRate, channels, skip } =
    withAudioDefaults(options);
  const scratch = await mkdtemp(join(tmpdir(), 'rec-fixture-aac-'));
  try {
    const stream = join(scratch, 'all.aac');
    await encodeTestAudio(stream, {
      seconds: count * segmentSeconds,
      sampleRate,
      channels,
      beepFactor: 4,
      codec: 'aac',
      format: 'adts',
    });
    const bytes = await readFile(stream);
    const target = segmentDir(dir, camera, 'audio');
    await mkdir(target, { recursive: true });
    const parts: Buffer[][] = Array.from({ length: count }, () => []);
    // Frame i (the encoder's priming frame first) starts at (i - 1) * 1024 samples.
    for (let at = 0, index = 0; at + 7 <= bytes.length; index++) {
      // aac_frame_length: 13 bits from byte 3 (ISO/IEC 13818-7 6.2.1)
      const length =
        (((bytes[at + 3] ?? 0) & 0x03) << 11) | ((bytes[at + 4] ?? 0) << 3) | ((bytes[at + 5] ?? 0) >> 5);
      const start = ((index - 1) * 1024) / sampleRate;
      const segment = Math.min(count - 1, Math.max(0, Math.floor(start / segmentSeconds)));
      parts[segment]?.push(bytes.subarray(at, at + length));
      at += length;
    }
    const files: string[] = [];
    const epochs: number[] = [];
    for (const [index, frames] of parts.entries()) {
      const epoch = startEpoch + index * segmentSeconds;
      if (skip.includes(epoch)) continue;
      const file = join(target, `${epoch}.aac`);
      await writeFile(file, Buffer.concat(frames));
      files.push(file);
      epochs.push(epoch);
    }
    return { files, epochs };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
