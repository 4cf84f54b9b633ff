import { type ChildProcess, execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/fixture-cli.mjs', import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const env = { ...process.env };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  delete env.NODE_OPTIONS;
  let child: ChildProcess | undefined;
  const done = new Promise<Run>((resolve) => {
    child = execFile(process.execPath, [fixture, ...args], { env }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
        signal: error?.signal ?? null,
        stdout,
        stderr,
      }),
    );
  });
  return { child: child as unknown as ChildProcess, done };
}

const run = (...args: string[]) => start(args).done;

/** Starts a run that waits, and sends `signals` once it is waiting (the second one 200 ms after the first). */
async function interrupt(args: string[], signals: NodeJS.Signals[]): Promise<Run> {
  const { child, done } = start(args);
  await new Promise<void>((resolve) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('waiting')) resolve();
    });
  });
  for (const [index, signal] of signals.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill(signal);
  }
  return done;
}

describe('runCli in a real process', () => {
  it('exits 0 on success, with nothing on stderr', async () => {
    expect(await run('--act', 'ok')).toMatchObject({ code: 0, stdout: 'done\n', stderr: '' });
  });

  it('prints a rec error as one line with its code, exit 1, or the exit code the app maps it to', async () => {
    expect(await run('--act', 'fail')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'fixture: Could not do it [FIXTURE_FAILED]\n',
    });
    expect(await run('--act', 'empty')).toMatchObject({
      code: 3,
      stderr: 'fixture: Nothing there [FIXTURE_EMPTY]\n',
    });
  });

  it('exits 2 on bad arguments: unknown flags, bad choices, option TypeErrors', async () => {
    const unknown = await run('--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "fixture: Unknown argument: bogus [CLI_BAD_ARGUMENTS]\nRun 'fixture --help' for usage.\n",
    );
    expect((await run('--act', 'sing')).code).toBe(2);
    expect(await run('--act', 'option', '--count', '0')).toMatchObject({
      code: 2,
      stderr:
        'fixture: Expected `count` to be an integer from 1 and up, got `0` (number) [CLI_BAD_ARGUMENTS]\n',
    });
    expect(await run('--act', 'bug')).toMatchObject({
      code: 1,
      stderr: "fixture: Cannot read properties of undefined (reading 'x') [CLI_UNEXPECTED]\n",
    });
  });

  it('prints the error as JSON on stdout under --json, for bad arguments too', async () => {
    const failed = await run('--act', 'fail', '--json');
    expect(JSON.parse(failed.stdout)).toEqual({
      ok: false,
      error: { code: 'FIXTURE_FAILED', message: 'Could not do it' },
    });
    expect(failed.stderr).toBe('fixture: Could not do it [FIXTURE_FAILED]\n');
    const bad = await run('--json', '--count', 'x', '--bogus');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: { code: 'CLI_BAD_ARGUMENTS' } });
  });

  it('prints what a failed run did and its error as one JSON document (withJsonResult)', async () => {
    const partial = await run('--act', 'partial', '--json');
    expect(partial.code).toBe(1);
    expect(partial.stdout.trim().split('\n')).toHaveLength(1);
    const document = JSON.parse(partial.stdout);
    expect(document).toEqual({
      ok: false,
      done: 2,
      failed: ['c'],
      error: { code: 'FIXTURE_FAILED', message: '1 of 3 failed' },
    });
    expect(Object.keys(document)).toEqual(['ok', 'done', 'failed', 'error']);
    expect(partial.stderr).toBe('fixture: 1 of 3 failed [FIXTURE_FAILED]\n');
  });

  it('escapes control characters of a message', async () => {
    const { code, stderr, stdout } = await run('--act', 'control', '--json');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'fixture: Bad bytes \\x00\\x07\\e[31mred\\e[0m\\r\\nnext \\u202etxt.exe [FIXTURE_FAILED]\n',
    );
    expect(JSON.parse(stdout).error.message).toBe(
      'Bad bytes \\x00\\x07\\e[31mred\\e[0m\\r\\nnext \\u202etxt.exe',
    );
  });

  it('prints stacks and causes only under --debug', async () => {
    const plain = await run('--act', 'cause');
    expect(plain.stderr).toBe('fixture: Outer [FIXTURE_FAILED]\n');
    const debug = await run('--act', 'cause', '--debug');
    const lines = debug.stderr.split('\n');
    expect(lines[0]).toBe('fixture: Outer [FIXTURE_FAILED]');
    expect(lines[1]).toBe('FixtureError: Outer [FIXTURE_FAILED]');
    expect(lines[2]).toMatch(/^\s+at .*fixtureCli\.ts:\d+:\d+/);
    expect(lines).toContain('Caused by: Error: inner reason [EINNER]');
  });

  it('keeps the AWS SDK Node-version notice off stderr without --debug, and other warnings on', async () => {
    const plain = await run('--act', 'warn');
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain('NodeVersionSupportWarning');
    expect(plain.stderr).not.toContain('AWS SDK');
    expect(plain.stderr).toMatch(/^\(node:\d+\) FixtureWarning: a warning of our own$/m);
    const debug = await run('--act', 'warn', '--debug');
    expect(debug.stderr).toMatch(/FixtureWarning: a warning of our own/);
    // The SDK warns on the Node versions it is about to drop.
    if (Number(process.versions.node.split('.')[0]) < 22) {
      expect(debug.stderr).toContain('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)');
    }
  });

  it('aborts the run on SIGINT and exits 130; on SIGTERM, 143', async () => {
    const sigint = await interrupt(['--act', 'wait', '--json'], ['SIGINT']);
    expect(sigint).toMatchObject({ code: 130, signal: null });
    // The library's error wrapping the abort is not what the user is told: the interrupt is.
    expect(sigint.stderr).toBe('waiting\nfixture: Interrupted (SIGINT); run again [CLI_INTERRUPTED]\n');
    expect(JSON.parse(sigint.stdout)).toEqual({
      ok: false,
      error: { code: 'CLI_INTERRUPTED', message: 'Interrupted (SIGINT); run again' },
    });
    const sigterm = await interrupt(['--act', 'wait'], ['SIGTERM']);
    expect(sigterm).toMatchObject({ code: 143, signal: null });
    expect(sigterm.stderr).toContain('fixture: Interrupted (SIGTERM); run again [CLI_INTERRUPTED]');
  });

  it('exits at once on a second signal when the run ignores the abort', async () => {
    const started = Date.now();
    const twice = await interrupt(['--act', 'ignore-abort'], ['SIGINT', 'SIGTERM']);
    expect(twice).toMatchObject({ code: 143, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000); // the run would wait 30 s
  });

  it('has -h as well as --help, and --version from package.json', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const help = await run('-h');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('fixture --act ACT');
    expect(help.stdout).toMatch(/-h, --help/);
    expect(help.stdout).toMatch(/--json/);
    expect(help.stdout).toMatch(/--debug/);
    expect((await run('--help')).stdout).toBe(help.stdout);
    expect(await run('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
