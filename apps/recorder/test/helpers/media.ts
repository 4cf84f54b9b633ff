import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '@rec/test-support';

/** Every file under `dir`, recursively. */
export async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Silences ffmpeg's silencedetect finds (at -50 dB, 0.5 s or longer), in seconds of the file's timeline. */
export async function silences(file: string): Promise<{ start: number; end: number }[]> {
  const log = await runFfmpeg(['-i', file, '-af', 'silencedetect=n=-50dB:d=0.5', '-f', 'null', '-']);
  const starts = [...log.matchAll(/silence_start: (-?[\d.]+)/g)].map((match) => Number(match[1]));
  const ends = [...log.matchAll(/silence_end: (-?[\d.]+)/g)].map((match) => Number(match[1]));
  return starts.map((start, i) => ({ start, end: ends[i] ?? Number.NaN }));
}
