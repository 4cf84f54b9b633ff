import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/dashget.js', import.meta.url));

describe('dashget CLI', () => {
  it('prints usage with its options', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toContain('dashget <manifest-url>');
    expect(stdout).toContain('-t, --threads, --max-threads');
  });

  it('prints its version', async () => {
    const { stdout } = await run(process.execPath, [bin, '--version']);
    expect(stdout.trim()).toBe('0.1.0');
  });
});
