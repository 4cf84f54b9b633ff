import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const dashgetBin = fileURLToPath(new URL('../../bin/dashget.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the dashget CLI (its repository entry point) to its end. */
export function runDashget(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [dashgetBin, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** Starts the CLI in a process group of its own, for a SIGKILL of it and its children. */
export function spawnDashget(...args: string[]): {
  child: ChildProcess;
  exited: Promise<unknown>;
  kill9(): void;
} {
  const child = spawn(process.execPath, [dashgetBin, ...args], { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    exited,
    kill9() {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    },
  };
}
