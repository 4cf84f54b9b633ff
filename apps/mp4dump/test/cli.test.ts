import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

import { runCli } from './helpers/runCli.js';

const run = (...args: string[]) => runCli(args);

describe('mp4dump CLI', () => {
  it('prints usage with its options for -h and --help, exit 0', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^mp4dump FILE\.\.\. \[dump options\]\n/);
    for (const flag of ['--verbosity', '--format', '--bento4', '--offsets', '--path', '--concat', '--json']) {
      expect(help.stdout).toContain(flag);
    }
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
});
