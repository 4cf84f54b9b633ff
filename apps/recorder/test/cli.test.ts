/**
 * The recorder CLI's conventions, on the real CLI (shared with every rec app
 * through @rec/cli's runCli): exit codes, one error line with its code,
 * `--json` error objects, `-h`, `--version`, signals, no library notices.
 */
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ffmpegPath,
  type HttpTestServer,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  startHttpServer,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli, startCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const camera = 'cam07';
const nodeMajor = Number(process.versions.node.split('.')[0]);

/** The lines the recorder printed as errors (progress lines are the rest of stderr). */
const errorLines = (run: CliRun) => run.stderr.split('\n').filter((line) => line.startsWith('recorder:'));

/** An S3 endpoint that accepts requests and never answers them: a run that waits in its listing. */
const startStalledServer = (): Promise<HttpTestServer> =>
  startHttpServer({ faults: [{ path: /^/, fault: { kind: 'hang' } }] });

/** Resolves when `check` holds, polling every 50 ms (a test timeout ends a wait that never does). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('recorder CLI conventions', () => {
  let dir: TempDir;
  let media: string;
  let version: string;
  const source = () => ['--source', media, '--prefix', camera];

  beforeAll(async () => {
    dir = await makeTempDir();
    media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera, startEpoch: E0, count: 3 });
    await makeAudioSegments({ dir: media, camera, startEpoch: E0, count: 3 });
    ({ version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')));
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it('exits 0 with the JSON summary on stdout and nothing on stderr', async () => {
    const output = join(dir.path, 'ok.ts');
    const run = await runCli([
      ...source(),
      '--start',
      String(E0),
      '--end',
      String(E0 + 4),
      '-o',
      output,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      output,
      format: 'ts',
      segments: { video: 2, audio: 2 },
    });
    expect((await stat(output)).size).toBeGreaterThan(0);
  });

  it('exits 3 when the window holds no segment: one line with the code, and the JSON error', async () => {
    const window = ['--start', String(E0 + 5000), '--end', String(E0 + 5010)];
    const run = await runCli([...source(), ...window, '-o', join(dir.path, 'none.mp4'), '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout);
    expect(json).toEqual({ ok: false, error: { code: 'NOTHING_IN_WINDOW', message: expect.any(String) } });
    expect(json.error.message).toMatch(
      /^No segments in .*media.* between 2023-11-14T23:36:40.000Z and 2023-11-14T23:36:50.000Z/,
    );
    expect(errorLines(run)).toEqual([`recorder: ${json.error.message} [NOTHING_IN_WINDOW]`]);
  });

  it('exits 2 on bad arguments, from yargs, from the option checks and from the config file', async () => {
    const unknown = await runCli(['--bogus', '--json']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "recorder: Unknown argument: bogus [CLI_BAD_ARGUMENTS]\nRun 'recorder --help' for usage.\n",
    );
    expect(JSON.parse(unknown.stdout)).toEqual({
      ok: false,
      error: { code: 'CLI_BAD_ARGUMENTS', message: 'Unknown argument: bogus' },
    });
    const window = ['--start', String(E0), '--end', String(E0 + 4)];
    const format = await runCli([...source(), ...window, '-o', 'x.mp4', '--format', 'avi']);
    expect(format.code).toBe(2);
    expect(errorLines(format)[0]).toMatch(/^recorder: Invalid values:.*"avi".*\[CLI_BAD_ARGUMENTS\]$/);
    const concurrency = await runCli([...source(), ...window, '-o', 'x.mp4', '--concurrency', '0']);
    expect(concurrency.code).toBe(2);
    expect(errorLines(concurrency)).toEqual([
      'recorder: Expected `concurrency` to be an integer from 1 and up, got `0` (number) [CLI_BAD_ARGUMENTS]',
    ]);
    const noOutput = await runCli([...source(), ...window]);
    expect(noOutput.code).toBe(2);
    expect(errorLines(noOutput)).toEqual(['recorder: Missing output (`-o OUT`) [BAD_ARGUMENTS]']);
    const time = await runCli([...source(), '--start', 'noon', '--end', '1', '-o', 'x.mp4']);
    expect(time.code).toBe(2);
    expect(errorLines(time)[0]).toMatch(/^recorder: Invalid `start`: .*"noon".* \[BAD_ARGUMENTS\]$/);
    const missing = join(dir.path, 'no-such-source');
    const root = await runCli(['--source', missing, '--prefix', 'cam', ...window, '-o', 'x.mp4']);
    expect(root.code).toBe(2);
    expect(errorLines(root)).toEqual([
      `recorder: The segment directory ${missing} does not exist: no such file or directory (ENOENT) [LOCAL_ROOT_NOT_FOUND]`,
    ]);
    const config = await runCli([join(dir.path, 'no-such-config.json'), 'x.mp4']);
    expect(config.code).toBe(2);
    expect(errorLines(config)[0]).toMatch(
      /^recorder: Cannot read config .*no-such-config\.json: .*\[BAD_CONFIG\]$/,
    );
  });

  it('exits 1 on a failure, in one line with its code and no stack, and no SDK notice on stderr', async () => {
    // A port nothing listens on: connection refused.
    const closed = await startStalledServer();
    await closed.stop();
    const args = ['--bucket', 'cams', '--prefix', camera, '--endpoint', closed.url, '--force-path-style'];
    const window = ['--start', String(E0), '--end', String(E0 + 4), '-o', join(dir.path, 'x.mp4')];
    const run = await runCli([...args, ...window]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toMatch(/^recorder: Network error .*\[NETWORK\]$/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain('NodeVersionSupportWarning');
    expect(run.stderr).not.toContain('AWS SDK');

    // --debug: the stack, and the SDK's notice on the Node versions it warns about.
    const debug = await runCli([...args, ...window, '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^S3SegmentsError: Network error .*\[NETWORK\]$/m);
    expect(debug.stderr).toMatch(/^\s+at /m);
    if (nodeMajor < 22) expect(debug.stderr).toContain('NodeVersionSupportWarning');
  });

  it('escapes control characters in an error message', async () => {
    // A source directory whose name holds an ESC sequence and a BEL, quoted by the message that names it.
    const hostile = join(dir.path, 'media\u001b[31mred\u0007');
    await mkdir(hostile);
    const run = await runCli([
      ...['--source', hostile, '--prefix', camera, '--start', String(E0), '--end', String(E0 + 4)],
      ...['-o', join(dir.path, 'x.mp4')],
    ]);
    expect(run.code).not.toBe(0);
    const [line] = errorLines(run);
    expect(line).toContain('media\\e[31mred\\x07');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).not.toContain('\u0007');
  });

  it('has -h as well as --help, naming the exit codes', async () => {
    const short = await runCli(['-h']);
    expect(short.code).toBe(0);
    expect(short.stdout).toContain('recorder (--bucket B --prefix P | --source DIR)');
    expect(short.stdout).toMatch(/-h, --help/);
    expect(short.stdout).toMatch(/--json/);
    expect(short.stdout).toMatch(/--debug/);
    expect(short.stdout).toMatch(/Exit codes: 0 done, 1 failed, 2 bad arguments or config, 3 no segment/);
    expect((await runCli(['--help'])).stdout).toBe(short.stdout);
  });

  it("prints package.json's version for --version", async () => {
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  describe('signals', () => {
    it('exits 130 on SIGINT during the S3 listing, with the interrupt as the one error line and JSON', async () => {
      const stalled = await startStalledServer();
      try {
        const { child, done } = startCli([
          ...['--bucket', 'cams', '--prefix', camera, '--endpoint', stalled.url, '--force-path-style'],
          ...['--start', String(E0), '--end', String(E0 + 4), '-o', join(dir.path, 'int.mp4'), '--json'],
        ]);
        await until(() => stalled.requests.length > 0);
        child.kill('SIGINT');
        const run = await done;
        expect(run).toMatchObject({ code: 130, signal: null });
        expect(run.stderr).toBe('recorder: Interrupted (SIGINT); re-run to resume [CLI_INTERRUPTED]\n');
        expect(JSON.parse(run.stdout)).toEqual({
          ok: false,
          error: { code: 'CLI_INTERRUPTED', message: 'Interrupted (SIGINT); re-run to resume' },
        });
      } finally {
        await stalled.stop();
      }
    });

    it('exits 143 on SIGTERM during the AAC encode of a local source, at once, and leaves no output', async () => {
      // An ffmpeg whose AAC encode (the only command with -b:a) never ends: `exec`, so that killing
      // it leaves no child holding its pipes, as a real ffmpeg would not.
      const held = join(dir.path, 'encode-held');
      const ffmpeg = join(dir.path, 'stalled-ffmpeg');
      await writeFile(
        ffmpeg,
        [
          '#!/bin/sh',
          `case " $* " in *" -b:a "*) : > ${JSON.stringify(held)}; exec sleep 60;; esac`,
          `exec ${JSON.stringify(ffmpegPath())} "$@"`,
          '',
        ].join('\n'),
      );
      await chmod(ffmpeg, 0o755);
      const output = join(dir.path, 'term.mp4');
      const { child, done } = startCli([
        ...source(),
        ...['--start', String(E0), '--end', String(E0 + 4), '-o', output, '--ffmpeg', ffmpeg],
        ...['--temp-dir', join(dir.path, 'tmp-term')],
      ]);
      await until(() =>
        stat(held).then(
          () => true,
          () => false,
        ),
      );
      const sent = Date.now();
      child.kill('SIGTERM');
      const run = await done;
      expect(run).toMatchObject({ code: 143, signal: null });
      expect(errorLines(run)).toEqual([
        'recorder: Interrupted (SIGTERM); re-run to resume [CLI_INTERRUPTED]',
      ]);
      // The abort reaches the encoder: no waiting for the minute it would hold.
      expect(Date.now() - sent).toBeLessThan(10_000);
      await expect(stat(output)).rejects.toThrow();
    });
  });
});
