import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffprobeJson, runFfmpeg, type TestVideoOptions, testVideoInput } from '@rec/test-support';
import {
  type Codec,
  type EsMuxResult,
  type MuxElementaryStreamOptions,
  muxElementaryStream,
} from '../../src/index.js';

/**
 * A test pattern (320x180 unless `size` says otherwise) encoded by ffmpeg
 * straight into TS (the truth), plus its elementary stream: without AUDs,
 * as a camera writes it, unless `keepAuds`.
 */
export async function makeTruth(
  dir: string,
  name: string,
  options: {
    codec: Codec;
    seconds?: number;
    fps?: TestVideoOptions['fps'];
    size?: string;
    keepAuds?: boolean;
    encoder: readonly string[];
  },
): Promise<{ ts: string; es: string }> {
  const ts = join(dir, `${name}.ts`);
  const es = join(dir, `${name}.${options.codec === 'hevc' ? 'h265' : 'h264'}`);
  const { seconds = 3, size, fps } = options;
  await runFfmpeg([
    '-v',
    'error',
    ...testVideoInput({ seconds, size, fps }),
    ...options.encoder,
    '-f',
    'mpegts',
    ts,
  ]);
  // The TS muxer inserted AUDs (type 9 / 35); strip them so the ES is what a camera writes.
  const stripAuds = options.keepAuds
    ? []
    : ['-bsf:v', `filter_units=remove_types=${options.codec === 'hevc' ? 35 : 9}`];
  await runFfmpeg([
    ...['-v', 'error', '-i', ts, '-c', 'copy', ...stripAuds],
    ...['-f', options.codec === 'hevc' ? 'hevc' : 'h264', es],
  ]);
  return { ts, es };
}

/** Runs our muxer over a file (1 MiB chunks... or the given chunk size) and writes the TS. */
export async function muxFile(
  input: string | Uint8Array,
  output: string,
  options: MuxElementaryStreamOptions & { chunkSize?: number } = {},
): Promise<EsMuxResult> {
  const data = typeof input === 'string' ? await readFile(input) : input;
  const size = options.chunkSize ?? 1 << 20;
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += size) chunks.push(data.subarray(at, at + size));
  const { chunkSize: _, ...muxOptions } = options;
  const { packets, result } = muxElementaryStream(chunks, muxOptions);
  const parts: Uint8Array[] = [];
  for await (const p of packets) parts.push(p);
  await writeFile(output, Buffer.concat(parts));
  return result;
}

/** Raw-ES access units as ffmpeg's parser splits them (byte position, keyframe flag), decoding order. */
export async function esPackets(
  file: string,
  format: 'h264' | 'hevc',
): Promise<{ pos: number; key: boolean }[]> {
  const { packets } = await ffprobeJson<{ packets?: { pos?: string; flags: string }[] }>(file, [
    '-f',
    format,
    '-show_entries',
    'packet=pos,flags',
    '-show_packets',
  ]);
  return (packets ?? []).map((p) => ({ pos: Number(p.pos), key: p.flags.startsWith('K') }));
}
