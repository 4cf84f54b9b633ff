import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, link, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileSource } from '@rec/core/node';
import { type BoxParseError, findBox, parseBoxes, readBoxes } from '@rec/fmp4-boxes';
import { makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DumpOptions, dumpSource } from '../src/dump/index.js';
import { mp4dumpBin, runCli } from './helpers/runCli.js';

const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/mp4');
const fragmented = join(fixtures, '03-fragmented.mp4');
const init = join(fixtures, '06-dash_init-0.m4s');
const truncated = join(fixtures, '25-truncated.mp4');

/** What the formatter writes for `file`, called in this process: the CLI's stdout must be exactly this. */
async function dumpInProcess(
  file: string,
  options: Partial<DumpOptions> = {},
): Promise<{ text: string; error?: BoxParseError; errors: BoxParseError[]; boxes: number }> {
  const source = await openFileSource(file);
  let text = '';
  try {
    const result = await dumpSource(
      source,
      (chunk) => {
        text += chunk;
      },
      { verbosity: 0, format: 'text', bento4: false, offsets: false, ...options },
    );
    return { text, error: result.error, errors: result.errors, boxes: result.boxes };
  } finally {
    await source.close();
  }
}

let temp: TempDir;
beforeAll(async () => {
  temp = await makeTempDir('rec-mp4dump-files-');
});
afterAll(() => temp.remove());

describe('mp4dump FILE', () => {
  it("prints exactly the formatter's output for one file, at verbosity 0 by default", async () => {
    const run = await runCli([fragmented]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe((await dumpInProcess(fragmented)).text);
    expect(run.stdout).toMatch(/^\[ftyp\] size=8\+20\n/);
  });

  it('passes --verbosity, --format, --bento4, --offsets and --path to the formatter', async () => {
    const options = {
      verbosity: 2,
      format: 'json',
      bento4: true,
      offsets: true,
      path: 'moov/trak/tkhd',
    } as const;
    const run = await runCli([
      ...['--verbosity', '2', '--format', 'json', '--bento4', '--offsets', '--path', 'moov/trak/tkhd'],
      fragmented,
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe((await dumpInProcess(fragmented, options)).text);
    const text = await runCli(['--verbosity', '1', '--offsets', fragmented]);
    expect(text.stdout).toBe((await dumpInProcess(fragmented, { verbosity: 1, offsets: true })).text);
  });

  it('frames several files in text: a "# <file>" line before each dump', async () => {
    const run = await runCli([init, fragmented]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `# ${init}\n${(await dumpInProcess(init)).text}# ${fragmented}\n${(await dumpInProcess(fragmented)).text}`,
    );
  });

  it('frames several files in JSON: one array, an entry { file, boxes } per file', async () => {
    const run = await runCli(['--format', 'json', init, fragmented]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const entries = JSON.parse(run.stdout) as { file: string; boxes: unknown }[];
    expect(entries).toEqual([
      { file: init, boxes: JSON.parse((await dumpInProcess(init, { format: 'json' })).text) },
      { file: fragmented, boxes: JSON.parse((await dumpInProcess(fragmented, { format: 'json' })).text) },
    ]);
  });

  it('dumps a truncated file as far as it is valid, then exits 1 naming the file, the offset and the box path', async () => {
    const expected = await dumpInProcess(truncated);
    const error = expected.error as BoxParseError;
    expect(error.code).toBe('BOX_TRUNCATED');
    const run = await runCli([truncated]);
    expect(run.code).toBe(1);
    // ftyp and free are whole; the mdat is cut 100,000 bytes into the file.
    expect(run.stdout).toBe(expected.text);
    expect(run.stdout).toMatch(/^\[ftyp\] size=8\+24\n(.*\n)*\[free\] size=8\+0\n/);
    expect(run.stderr).toBe(`mp4dump: ${truncated}: ${error.message} [BOX_TRUNCATED]\n`);
    expect(error.message).toMatch(/^mdat @ 0x28: /);
    expect(error.offset).toBe(0x28);
  });

  it('goes on after a damaged file among several: its error between the dumps, exit 1 at the end', async () => {
    const error = (await dumpInProcess(truncated)).error as BoxParseError;
    const run = await runCli([init, truncated, fragmented]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `# ${init}\n${(await dumpInProcess(init)).text}# ${truncated}\n${(await dumpInProcess(truncated)).text}` +
        `# ${fragmented}\n${(await dumpInProcess(fragmented)).text}`,
    );
    expect(run.stderr).toBe(
      `mp4dump: ${truncated}: ${error.message} [BOX_TRUNCATED]\n` +
        `mp4dump: 1 of 3 files is damaged: ${truncated} [BOX_TRUNCATED]\n`,
    );
    const json = await runCli(['--format', 'json', truncated, init]);
    expect(json.code).toBe(1);
    const [damaged, whole] = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(damaged).toMatchObject({
      file: truncated,
      error: { code: 'BOX_TRUNCATED', message: error.message, offset: 0x28, path: error.path },
    });
    expect(whole).not.toHaveProperty('error');
  });

  it('goes on past damaged boxes inside a file, as Bento4 does: every valid box dumped, each error counted', async () => {
    // The init segment with two boxes damaged in the middle: stts claims 2^32 - 1 entries in its
    // 8 bytes (its fields cannot be read), and the hdlr of mdia claims 1000 bytes (past mdia's end).
    const bytes = Buffer.from(await readFile(init));
    const at = (path: string) => {
      const found = findBox(parseBoxes(bytes), path);
      if (!found) throw new Error(`${path} not in the fixture`);
      return found.offset;
    };
    const stts = at('moov/trak/mdia/minf/stbl/stts');
    const hdlr = at('moov/trak/mdia/hdlr');
    const metaHdlr = at('moov/udta/meta/hdlr');
    bytes.writeUInt32BE(0xffffffff, stts + 12); // entry_count
    bytes.writeUInt32BE(1000, hdlr); // size
    const damaged = join(temp.path, 'damaged-init.mp4');
    await writeFile(damaged, bytes);

    const run = await runCli(['--bento4', damaged]);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    // mdia keeps what came before its bad child (Bento4 drops the rest of that parent's children)...
    expect(lines).toContain('      [mdhd] size=12+20');
    expect(run.stdout).not.toContain('[minf]');
    expect(run.stdout).not.toContain('[stts]');
    // ... and the walk goes on after mdia: from mvex on, the dump is the undamaged file's.
    const wholeLines = (await runCli(['--bento4', init])).stdout.split('\n');
    const fromMvex = (list: string[]) => list.slice(list.indexOf('  [mvex] size=8+32'));
    expect(fromMvex(lines)).toContain('  [udta] size=8+53');
    expect(fromMvex(lines)).toEqual(fromMvex(wholeLines));
    expect(run.stderr).toBe(
      `mp4dump: ${damaged}: moov/trak/mdia/hdlr @ 0x${hdlr.toString(16)}: box of 1000 bytes does not fit in its parent: ` +
        `375 bytes left in moov/trak/mdia [BOX_INVALID]\n`,
    );

    // Only the stts damaged: it shows as a box we cannot decode, its siblings after it as they are.
    bytes.writeUInt32BE(45, hdlr);
    await writeFile(damaged, bytes);
    const leaf = await runCli(['--bento4', damaged]);
    expect(leaf.code).toBe(1);
    const whole = (await runCli(['--bento4', init])).stdout;
    const sttsLines = whole.match(/ {10}\[stts\] size=12\+4\n( {12}.*\n)*/)?.[0] ?? '';
    expect(sttsLines).toContain('entry_count = 0');
    expect(leaf.stdout).toBe(whole.replace(sttsLines, '          [stts] size=8+8\n'));
    expect(leaf.stderr).toMatch(
      /^mp4dump: .*: moov\/trak\/mdia\/minf\/stbl\/stts @ 0x[0-9a-f]+: .*\[BOX_INVALID\]\n$/,
    );

    // Two damaged boxes: the first named, the other counted.
    bytes.writeUInt32BE(1000, hdlr);
    bytes.writeUInt32BE(1000, metaHdlr);
    await writeFile(damaged, bytes);
    const two = await runCli([damaged]);
    expect(two.code).toBe(1);
    expect(two.stdout).toMatch(/\n {2}\[mvex\] size=8\+32\n/);
    expect(two.stderr).toMatch(
      /^mp4dump: .*: moov\/trak\/mdia\/hdlr @ .* \(and 1 more damaged box\) \[BOX_INVALID\]\n$/,
    );
    expect((await dumpInProcess(damaged)).errors.map((error) => error.path)).toEqual([
      'moov/trak/mdia/hdlr',
      'moov/udta/meta/hdlr',
    ]);
  });

  it('counts the boxes the reader finds in a fragmented file (truth from readBoxes, all depths)', async () => {
    const source = await openFileSource(fragmented);
    let boxes = 0;
    for await (const _ of readBoxes(source)) boxes++;
    await source.close();
    expect((await dumpInProcess(fragmented)).boxes).toBe(boxes);
  });

  it.each([
    [['missing.mp4'], 'mp4dump: missing.mp4: no such file [CLI_BAD_ARGUMENTS]\n'],
    [
      [fixtures],
      `mp4dump: ${fixtures} is a directory (for a DASH directory: mp4dump -d ${fixtures}) [CLI_BAD_ARGUMENTS]\n`,
    ],
    [
      ['/dev/null'],
      'mp4dump: /dev/null is not a regular file (mp4dump reads files at random offsets: save the stream to a file first) [CLI_BAD_ARGUMENTS]\n',
    ],
    [
      ['--verbosity', '4', fragmented],
      'mp4dump: Expected `verbosity` to be an integer from 0 to 3, got `4` (number) [CLI_BAD_ARGUMENTS]\n',
    ],
    [
      ['--verbosity', 'x', fragmented],
      'mp4dump: Expected `verbosity` to be a number, got `NaN` (number) [CLI_BAD_ARGUMENTS]\n',
    ],
    [
      ['-r', '0', '--concat', fragmented],
      `mp4dump: -r, --concat are for DASH mode, without files (got ${fragmented}) [CLI_BAD_ARGUMENTS]\n`,
    ],
  ])('exits 2 on bad arguments, with nothing on stdout: %j', async (args, stderr) => {
    expect(await runCli(args)).toMatchObject({ code: 2, stdout: '', stderr });
  });

  it('checks every file before dumping any: a missing second file prints nothing', async () => {
    expect(await runCli([fragmented, join(temp.path, 'gone.mp4')])).toMatchObject({ code: 2, stdout: '' });
  });

  it('exits quietly (0, nothing on stderr) when the reader of its output goes away: mp4dump big.mp4 | head', async () => {
    // 60 copies of the fragmented file at verbosity 2: far more than a pipe holds.
    const copy = join(temp.path, 'fragmented.mp4');
    await copyFile(fragmented, copy);
    const child = spawn(process.execPath, [mp4dumpBin, '--verbosity', '2', ...Array(60).fill(copy)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    expect(first.toString()).toMatch(/^# /);
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('stops on SIGINT in the middle of a long run of files: exit 130, the interrupt as its last line', async () => {
    // 3,000 names for one fixture (hard links): seconds of dumping, stopped after the first output.
    const names = await Promise.all(
      Array.from({ length: 3000 }, async (_, i) => {
        const name = join(temp.path, `copy-${i}.mp4`);
        await link(fragmented, name);
        return name;
      }),
    );
    const child = spawn(process.execPath, [mp4dumpBin, ...names], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let stdout = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.length;
    });
    await once(child.stdout, 'data');
    // Not read until the signal is sent: the dump waits on a full pipe, so it cannot finish first
    // on a loaded machine (it did: exit 0 in CI, all 3,000 files dumped before the kill landed).
    child.stdout.pause();
    child.kill('SIGINT');
    child.stdout.resume();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(130);
    expect(stderr).toBe('mp4dump: Interrupted (SIGINT) [CLI_INTERRUPTED]\n');
    // Stopped well before the end: 3,000 dumps of this file are about 3000 times one.
    expect(stdout).toBeLessThan(3000 * (await dumpInProcess(fragmented)).text.length);
  });

  it.each(['01-progressive-moov-at-end.mp4', '03-fragmented.mp4', '06-dash_seg-0-00001.m4s', '11-opus.mp4'])(
    "prints with --bento4 what Bento4 1.6.0's mp4dump printed for %s, byte for byte (text v0/v1, JSON)",
    async (name) => {
      const file = join(fixtures, name);
      const bento4 = (suffix: string) => readFile(`${file}.bento4.${suffix}`, 'utf8');
      expect(await runCli(['--bento4', file])).toMatchObject({ code: 0, stdout: await bento4('v0.txt') });
      expect((await runCli(['--bento4', '--verbosity', '1', file])).stdout).toBe(await bento4('v1.txt'));
      const json = await runCli(['--bento4', '--format', 'json', '--verbosity', '2', file]);
      expect(json).toMatchObject({ code: 0, stdout: await bento4('v2.json') });
    },
  );
});
