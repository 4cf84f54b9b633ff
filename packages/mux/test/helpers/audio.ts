import { readFile } from 'node:fs/promises';
import { readAdts } from '@rec/es-ts';
import { readWavInfo } from '../../src/index.js';

/** The samples of a WAV's data chunk (found by its RIFF chunks), to compare with a join's output. */
export async function wavSamples(file: string): Promise<Buffer> {
  const info = await readWavInfo(file);
  return (await readFile(file)).subarray(info.dataOffset, info.dataOffset + info.dataBytes);
}

/** The ADTS frames of a file, copied. */
export async function adtsFrames(file: string): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  for await (const frame of readAdts(new Uint8Array(await readFile(file)))) frames.push(frame.bytes.slice());
  return frames;
}

/** Root mean square of `samples[from, to)`: 0 for digital silence. */
export function rms(samples: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}
