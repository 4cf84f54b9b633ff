import { openFileSource } from '@rec/core/node';
import { type DumpOptions, type DumpResult, dumpSource } from '../../../src/dump/index.js';

/**
 * The six files ffmpeg made with what Bento4 1.6.0's mp4dump printed for
 * each (shared/fixtures/mp4/README.md), beside a clone of the repository.
 */
export const FIXTURES = new URL('../../../../../../shared/fixtures/mp4/', import.meta.url);
export const fixtures = [
  '01-progressive-moov-at-end.mp4',
  '03-fragmented.mp4',
  '06-dash_init-0.m4s',
  '06-dash_seg-0-00001.m4s',
  '11-opus.mp4',
  '25-truncated.mp4',
] as const;

export const fixturePath = (name: string): string => new URL(name, FIXTURES).pathname;

export const DEFAULTS: DumpOptions = { verbosity: 0, format: 'text', bento4: false, offsets: false };

/** Dumps a file into a string. */
export async function dumpFile(
  path: string,
  options: Partial<DumpOptions> = {},
): Promise<DumpResult & { text: string; writes: number }> {
  const source = await openFileSource(path);
  let text = '';
  let writes = 0;
  try {
    const result = await dumpSource(
      source,
      (chunk) => {
        text += chunk;
        writes++;
      },
      { ...DEFAULTS, ...options },
    );
    return { ...result, text, writes };
  } finally {
    await source.close();
  }
}
