/**
 * `--bento4` output on files Bento4's packager made (encrypted, fragmented,
 * indexed: see fixtures/README.md) against that Bento4's own dumps, byte
 * for byte.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dumpFile } from './helpers/fixtures.js';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

describe('--bento4 on Bento4-made encrypted files equals Bento4', () => {
  for (const name of ['bento4-cenc.mp4', 'bento4-cbcs.mp4']) {
    for (const [verbosity, format, golden] of [
      [0, 'text', 'v0.txt'],
      [1, 'text', 'v1.txt'],
      [2, 'text', 'v2.txt'],
      [2, 'json', 'v2-json.txt'],
    ] as const) {
      it(`${name} --verbosity ${verbosity} --format ${format}`, async () => {
        const want = await readFile(`${fixture(name)}.bento4.${golden}`, 'utf8');
        const got = await dumpFile(fixture(name), { verbosity, format, bento4: true });
        expect(got.error).toBeUndefined();
        expect(got.text).toBe(want);
      });
    }
  }

  it('the default mode: pssh system and data, and where the senc IV size came from', async () => {
    const { text } = await dumpFile(fixture('bento4-cenc.mp4'), { verbosity: 2 });
    expect(text).toContain(
      '  [pssh] size=12+27\n    system_id = [ed ef 8b a9 79 d6 4a ce a3 c8 27 dc d5 1d 21 ed]\n',
    );
    expect(text).toContain('    data = [70 61 79 6c 6f 61 64]\n'); // "payload"
    expect(text).toMatch(/IV Size \(inferred\) = 16\n {6}IV Size from = tenc\n/);
  });
});
