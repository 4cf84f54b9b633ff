/**
 * `--bento4` output against Bento4 1.6.0's own dumps of the six fixtures
 * (golden files from the other tool, never from our output): verbosity 0,
 * 1, 2 (and 3, which prints what 2 prints) and the verbosity-2 JSON, byte
 * for byte.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dumpFile, fixturePath, fixtures } from './helpers/fixtures.js';

const outputs = [
  { verbosity: 0, format: 'text', golden: 'v0.txt' },
  { verbosity: 1, format: 'text', golden: 'v1.txt' },
  { verbosity: 2, format: 'text', golden: 'v2.txt' },
  { verbosity: 3, format: 'text', golden: 'v2.txt' },
  { verbosity: 2, format: 'json', golden: 'v2.json' },
] as const;

describe('--bento4 dumps equal Bento4 1.6.0 byte for byte', () => {
  for (const name of fixtures) {
    for (const { verbosity, format, golden } of outputs) {
      it(`${name} --verbosity ${verbosity} --format ${format}`, async () => {
        const want = await readFile(`${fixturePath(name)}.bento4.${golden}`, 'utf8');
        const got = await dumpFile(fixturePath(name), { verbosity, format, bento4: true });
        expect(got.text).toBe(want);
        if (name !== '25-truncated.mp4') expect(got.error).toBeUndefined();
      });
    }
  }

  it('25-truncated: ftyp and free, then the BoxParseError of the cut mdat in the result', async () => {
    for (const format of ['text', 'json'] as const) {
      const got = await dumpFile(fixturePath('25-truncated.mp4'), { format, bento4: true });
      expect(got.boxes).toBe(2);
      expect(got.error).toMatchObject({
        name: 'BoxParseError',
        code: 'BOX_TRUNCATED',
        offset: 40,
        path: 'mdat',
      });
      if (format === 'json')
        expect(JSON.parse(got.text).map((b: { name: string }) => b.name)).toEqual(['ftyp', 'free']);
    }
  });

  it('counts the boxes it dumped, at every depth', async () => {
    const got = await dumpFile(fixturePath('06-dash_seg-0-00001.m4s'), { bento4: true });
    // styp, sidx, moof, mfhd, traf, tfhd, tfdt, trun, mdat
    expect(got.boxes).toBe(9);
  });
});
