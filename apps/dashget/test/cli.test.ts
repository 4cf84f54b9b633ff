import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dashget.js', import.meta.url));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('dashget CLI', () => {
  it('prints usage with its options for -h and --help, exit 0', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('dashget <manifest-url>');
    expect(help.stdout).toContain('-t, --threads, --max-threads');
    expect(help.stdout).toMatch(/-o, --output/);
    expect(help.stdout).toMatch(/--retries .*--dry-run .*--live-duration .*--select /s);
    expect(help.stdout).toMatch(/-h, --help/);
    expect(help.stdout).toMatch(
      /Exit codes: 0 done, 1 failed, 2 bad arguments or manifest, 130\/143 interrupted/,
    );
    expect((await run('-h')).stdout).toBe(help.stdout);
  });

  it("prints package.json's version", async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await run('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('exits 2 on bad arguments, one line with the code, and the JSON error under --json', async () => {
    const missing = await run();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "dashget: Not enough non-option arguments: got 0, need at least 1 [CLI_BAD_ARGUMENTS]\nRun 'dashget --help' for usage.\n",
    );
    const threads = await run('https://example.com/a.mpd', '--max-threads', '0', '--json');
    expect(threads.code).toBe(2);
    expect(threads.stderr).toBe(
      'dashget: Expected `threads` to be an integer from 1 to 1024, got `0` (number) [CLI_BAD_ARGUMENTS]\n',
    );
    expect(JSON.parse(threads.stdout)).toEqual({
      ok: false,
      error: {
        code: 'CLI_BAD_ARGUMENTS',
        message: 'Expected `threads` to be an integer from 1 to 1024, got `0` (number)',
      },
    });
    const live = await run('https://example.com/a.mpd', '--live-duration', '0');
    expect(live.code).toBe(2);
    expect(live.stderr).toBe(
      'dashget: Expected `live-duration` to be a number of seconds above 0, got `0` (number) [CLI_BAD_ARGUMENTS]\n',
    );
    const scheme = await run('javascript:alert(1)');
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toMatch(
      /^dashget: Expected `manifest-url` to be an http, https or file URL, or a local file/,
    );
  });

  it('a manifest that cannot be fetched: exit 1, one line, never printing a password of the URL', async () => {
    const run1 = await run('http://user:hunter22@127.0.0.1:9/live.mpd', '-t', '4', '--retries', '0');
    expect(run1.code).toBe(1);
    expect(run1.stderr).toMatch(
      /^dashget: cannot load the manifest: ECONNREFUSED: .* \[DASHGET_MANIFEST_UNAVAILABLE\]\n$/,
    );
    expect(run1.stderr).not.toContain('hunter22');
  });
});
