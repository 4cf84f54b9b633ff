import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { resolveFfmpeg, resolveFfprobe } from '@rec/mux';

const execFileAsync = promisify(execFile);

let ffmpeg: string | undefined;
let ffprobe: string | undefined;

/** The ffmpeg the tests use, resolved as `@rec/mux` resolves it. */
export const ffmpegPath = (): string => {
  ffmpeg ??= resolveFfmpeg().path;
  return ffmpeg;
};
export const ffprobePath = (): string => {
  ffprobe ??= resolveFfprobe().path;
  return ffprobe;
};

/** Runs ffmpeg (with `-hide_banner -nostdin -y`), returns its stderr. */
export async function runFfmpeg(args: readonly string[]): Promise<string> {
  const { stderr } = await execFileAsync(ffmpegPath(), ['-hide_banner', '-nostdin', '-y', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stderr;
}

/** Decodes `file` fully and returns what ffmpeg printed at `-v warning` (empty when clean). */
export async function ffmpegDecodeWarnings(file: string, inputArgs: readonly string[] = []): Promise<string> {
  const stderr = await runFfmpeg(['-v', 'warning', ...inputArgs, '-i', file, '-f', 'null', '-']);
  return stderr.trim();
}

/**
 * Decodes `file` to interleaved signed 16-bit samples (ffmpeg's `s16le`
 * through a file beside it, `<file>.s16`), downmixed or upmixed to `channels`
 * (default 1). Raw ADTS has no edit list: its encoder's priming samples come
 * first. `inputArgs` go before `-i` (e.g. `['-f', 'aac']`).
 */
export async function decodePcm16(
  file: string,
  options: { channels?: number; inputArgs?: readonly string[] } = {},
): Promise<Int16Array> {
  const raw = `${file}.s16`;
  const { channels = 1, inputArgs = [] } = options;
  await runFfmpeg(['-v', 'error', ...inputArgs, '-i', file, '-f', 's16le', '-ac', String(channels), raw]);
  const bytes = await readFile(raw);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
}

/**
 * MD5 of every picture ffmpeg decodes from `file`'s first video stream, in
 * output (presentation) order: its framemd5 muxer's last column, through a
 * file beside it (`<file>.framemd5`). `format` forces the input format (a raw
 * `h264` / `hevc` elementary stream).
 */
export async function frameHashes(file: string, format?: 'h264' | 'hevc'): Promise<string[]> {
  const target = `${file}.framemd5`;
  await runFfmpeg([
    ...['-v', 'error', ...(format ? ['-f', format] : []), '-i', file],
    ...['-map', '0:v:0', '-f', 'framemd5', target],
  ]);
  return (await readFile(target, 'utf8'))
    .split('\n')
    .filter((line) => /^\s*0,/.test(line))
    .map((line) => line.split(',').at(-1)?.trim() ?? '');
}

/** Runs ffprobe with JSON output. */
export async function ffprobeJson<T = Record<string, unknown>>(
  file: string,
  args: readonly string[],
): Promise<T> {
  const { stdout } = await execFileAsync(ffprobePath(), ['-v', 'error', '-of', 'json', ...args, file], {
    maxBuffer: 512 * 1024 * 1024,
    // The npm-shipped static ffprobe segfaults in iconv when it decodes the
    // service name of a TS's SDT (which ffmpeg's TS muxer always writes);
    // without gconv modules it skips the conversion and reads the file fine.
    env: { ...process.env, GCONV_PATH: '/nonexistent-gconv' },
  });
  return JSON.parse(stdout) as T;
}

export interface ProbeStream {
  index: number;
  codec_name?: string;
  codec_type?: string;
  sample_rate?: string;
  channels?: number;
  bits_per_sample?: number;
  width?: number;
  height?: number;
  nb_frames?: string;
  nb_read_frames?: string;
  duration?: string;
  start_time?: string;
  time_base?: string;
  r_frame_rate?: string;
}

export interface ProbeFormat {
  format_name: string;
  duration?: string;
  start_time?: string;
  size?: string;
}

/** `-show_streams -show_format`, optionally counting frames (decodes the file). */
export async function probe(
  file: string,
  options: { countFrames?: boolean; inputFormat?: string } = {},
): Promise<{ streams: ProbeStream[]; format: ProbeFormat }> {
  return ffprobeJson(file, [
    ...(options.inputFormat ? ['-f', options.inputFormat] : []),
    ...(options.countFrames ? ['-count_frames'] : []),
    '-show_streams',
    '-show_format',
  ]);
}

export interface ProbePacket {
  stream_index: number;
  pts?: number;
  dts?: number;
  pts_time?: string;
  dts_time?: string;
  duration?: number;
  size: string;
  flags: string;
}

/** Every packet of `file` (`-show_packets`), optionally of one stream (`v:0`, `a:0`). */
export async function probePackets(file: string, select?: string): Promise<ProbePacket[]> {
  const { packets } = await ffprobeJson<{ packets?: ProbePacket[] }>(file, [
    ...(select ? ['-select_streams', select] : []),
    '-show_entries',
    'packet=stream_index,pts,dts,pts_time,dts_time,duration,size,flags',
    '-show_packets',
  ]);
  return packets ?? [];
}

export interface ProbeFrame {
  pts?: number;
  pkt_dts?: number;
  best_effort_timestamp?: number;
  pict_type?: string;
  key_frame?: number;
}

/** Every decoded frame of one stream. */
export async function probeFrames(file: string, select = 'v:0'): Promise<ProbeFrame[]> {
  const { frames } = await ffprobeJson<{ frames?: ProbeFrame[] }>(file, [
    '-select_streams',
    select,
    '-show_entries',
    'frame=pts,pkt_dts,best_effort_timestamp,pict_type,key_frame',
    '-show_frames',
  ]);
  return frames ?? [];
}
