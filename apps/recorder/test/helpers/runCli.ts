import { type ChildProcess, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository entry point of the recorder CLI (runs `src/cli.ts`). */
export const recorderBin = fileURLToPath(new URL('../../bin/recorder.js', import.meta.url));

export interface CliRun {
  /** The exit code; -1 when the process was killed by a signal (see `signal`). */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a test run: s3rver's credentials (overridable through
 * `env`). The AWS SDK's Node-version notice is not switched off: the CLI
 * must keep it off stderr by itself.
 */
export function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  return { ...base, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', ...env };
}

/**
 * Starts the recorder CLI in a child Node process; `done` resolves with its
 * exit code (or the signal that killed it) and output.
 */
export function startCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  let child: ChildProcess | undefined;
  const done = new Promise<CliRun>((resolve) => {
    child = execFile(
      process.execPath,
      [recorderBin, ...args],
      { env: cliEnv(env), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, signal: error?.signal ?? null, stdout, stderr });
      },
    );
  });
  return { child: child as unknown as ChildProcess, done };
}

/** Runs the recorder CLI to its end (see `startCli`). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return startCli(args, env).done;
}
