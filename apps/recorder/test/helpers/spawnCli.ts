import { type ChildProcess, spawn } from 'node:child_process';
import { cliEnv, recorderBin } from './runCli.js';

export interface SpawnedCli {
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the recorder and every process it started (its ffmpeg children): no cleanup runs. */
  kill9(): void;
}

/**
 * Starts the recorder CLI as `startCli` does (same entry point, same
 * environment: s3rver's credentials, the SDK's Node-version notice left on
 * for the CLI to hide), but in a process group of its own, so that a kill -9
 * reaches its ffmpeg children too, as a supervisor's kill of the job does.
 */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): SpawnedCli {
  const child = spawn(process.execPath, [recorderBin, ...args], {
    env: cliEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => stderr,
    exited,
    kill9() {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    },
  };
}
