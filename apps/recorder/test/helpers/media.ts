import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
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

/** Every file under `dir` as an object keyed by its path relative to `dir` (what `putObjects` takes). */
export async function treeObjects(dir: string): Promise<[string, Uint8Array][]> {
  const objects: [string, Uint8Array][] = [];
  for await (const file of files(dir)) objects.push([relative(dir, file), await readFile(file)]);
  return objects;
}
