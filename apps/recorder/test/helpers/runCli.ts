import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository entry point of the recorder CLI (runs `src/cli.ts`). */
export const recorderBin = fileURLToPath(new URL('../../bin/recorder.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the recorder CLI in a child Node process with s3rver's credentials
 * (overridable through `env`) and resolves with its exit code and output.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [recorderBin, ...args],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          // The SDK's notice about Node 20 support would otherwise be all of stderr.
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...env,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
