import { type ChildProcess, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository entry point of the mp4dump CLI (runs `src/cli.ts`). */
export const mp4dumpBin = fileURLToPath(new URL('../../bin/mp4dump.js', import.meta.url));

export interface CliRun {
  /** The exit code; -1 when a signal ended the process (see `signal`). */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `mp4dump ...args` in a child Node process (in `cwd`); `done` resolves with its exit and output. */
export function startCli(
  args: readonly string[],
  options: { cwd?: string } = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  let child: ChildProcess | undefined;
  const done = new Promise<CliRun>((resolve) => {
    child = execFile(
      process.execPath,
      [mp4dumpBin, ...args],
      { cwd: options.cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, signal: error?.signal ?? null, stdout, stderr });
      },
    );
  });
  return { child: child as unknown as ChildProcess, done };
}

/** Runs `mp4dump ...args` to its end. */
export function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliRun> {
  return startCli(args, options).done;
}
