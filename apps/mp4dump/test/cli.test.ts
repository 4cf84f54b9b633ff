import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/mp4dump.js', import.meta.url));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('mp4dump CLI', () => {
  it('prints usage with its options for -h and --help, exit 0', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('mp4dump [files..]');
    expect(help.stdout).toContain('--format');
    expect(help.stdout).toContain('--concat');
    expect(help.stdout).toMatch(/-d, --dir/);
    expect(help.stdout).toMatch(/-r, --rep/);
    expect(help.stdout).toMatch(/-h, --help/);
    expect((await run('-h')).stdout).toBe(help.stdout);
  });

  it("prints package.json's version", async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await run('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('exits 2 on bad arguments, one line with the code, and the JSON error under --json', async () => {
    const format = await run('a.mp4', '--format', 'xml', '--json');
    expect(format.code).toBe(2);
    expect(format.stderr).toBe(
      'mp4dump: Invalid values: Argument: format, Given: "xml", Choices: "text", "json" [CLI_BAD_ARGUMENTS]\n' +
        "Run 'mp4dump --help' for usage.\n",
    );
    expect(JSON.parse(format.stdout)).toMatchObject({ ok: false, error: { code: 'CLI_BAD_ARGUMENTS' } });
    expect((await run('--bogus')).code).toBe(2);
  });

  it('says that dumping is not there yet, exit 1', async () => {
    expect(await run('-d', 'dash', '-r', 'video_1')).toMatchObject({
      code: 1,
      stderr: 'mp4dump: dumping is not implemented in this version yet (dash) [CLI_NOT_IMPLEMENTED]\n',
    });
  });
});
