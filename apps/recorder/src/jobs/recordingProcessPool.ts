import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RecordProgress } from '../RecordOptions.js';
import type { RecordSummary } from '../record.js';
import type { JobFailure } from './jobFailure.js';
import { RecordingJobErrorCode } from './RecordingJobError.js';
import type { FromRecordingProcess, ToRecordingProcess } from './recordingMessages.js';
import type { RecordingRequest } from './recordingRequest.js';

/** What one recording came to in its process. */
export type RecordingOutcome =
  | { ok: true; summary: RecordSummary }
  | { ok: false; failure: JobFailure; aborted: boolean };

/** Processes that run recordings, one each at a time, reused from job to job. */
export interface RecordingProcessPool {
  run(
    request: RecordingRequest,
    options: { signal?: AbortSignal; onProgress?: (progress: RecordProgress) => void },
  ): Promise<RecordingOutcome>;
  /** Ends the idle processes (call once no recording runs). */
  close(): Promise<void>;
}

/** After an abort, the time a recording gets to stop (kill its ffmpeg, unlock its job dir) before a SIGKILL. */
const ABORT_GRACE_MS = 20_000;

/**
 * The command line of a recording process. From the sources (this module
 * is a `.ts` file: tests, the repository's bin) it runs
 * `recordingProcess.ts` through the repository's source runner (tsx);
 * built, it runs `recordingProcess.js` beside the bundle that holds this
 * code (`dist/`, a tsup entry of its own).
 */
function processArguments(): string[] {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const runner = new URL('../../../../scripts/source-runner.mjs', here).href;
    const entry = new URL('./recordingProcess.ts', here).href;
    return [
      '--input-type=module',
      '-e',
      `import { runFromSource } from ${JSON.stringify(runner)};\nawait runFromSource(new URL(${JSON.stringify(entry)}));`,
    ];
  }
  const entry = fileURLToPath(new URL('./recordingProcess.js', here));
  // Found now, not as every job failing: a build without that entry cannot run jobs.
  if (!existsSync(entry)) throw new Error(`The recorder's recording process is missing: ${entry}`);
  return [entry];
}

interface PooledProcess {
  child: ChildProcess;
  /** Resolves once the process said it is ready; rejects if it exited first. */
  ready: Promise<void>;
  exited: boolean;
}

function startProcess(args: string[]): PooledProcess {
  // A process group of its own: a Ctrl-C in the worker's terminal (SIGINT to the foreground
  // group) must not reach the recording's ffmpeg; the worker decides when a recording stops.
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const pooled: PooledProcess = { child, exited: false, ready: Promise.resolve() };
  pooled.ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: FromRecordingProcess) => {
      if (message.type === 'ready') resolve();
    });
    child.once('exit', (code, signal) => {
      pooled.exited = true;
      reject(new Error(`The recording process exited (${signal ?? `code ${code}`}) before it was ready`));
    });
    child.once('error', reject);
  });
  pooled.ready.catch(() => {});
  return pooled;
}

const send = (child: ChildProcess, message: ToRecordingProcess) => {
  if (child.connected) child.send(message);
};

export function createRecordingProcessPool(): RecordingProcessPool {
  const args = processArguments();
  const idle: PooledProcess[] = [];
  const all = new Set<PooledProcess>();

  const acquire = () => {
    let pooled = idle.pop();
    while (pooled?.exited) pooled = idle.pop();
    if (pooled) return pooled;
    const started = startProcess(args);
    all.add(started);
    started.child.once('exit', () => all.delete(started));
    return started;
  };

  return {
    async run(request, { signal, onProgress }) {
      const pooled = acquire();
      const { child } = pooled;
      try {
        await pooled.ready;
      } catch (error) {
        return {
          ok: false,
          failure: { code: RecordingJobErrorCode.Crashed, message: (error as Error).message },
          aborted: signal?.aborted ?? false,
        };
      }
      return new Promise<RecordingOutcome>((resolve) => {
        let killTimer: NodeJS.Timeout | undefined;
        const finish = (outcome: RecordingOutcome, reusable: boolean) => {
          child.off('message', onMessage);
          child.off('exit', onExit);
          signal?.removeEventListener('abort', onAbort);
          clearTimeout(killTimer);
          if (reusable && !pooled.exited) idle.push(pooled);
          resolve(outcome);
        };
        const onMessage = (message: FromRecordingProcess) => {
          if (message.type === 'progress') onProgress?.(message.progress);
          else if (message.type === 'done') finish({ ok: true, summary: message.summary }, true);
          else if (message.type === 'failed') {
            finish({ ok: false, failure: message.failure, aborted: message.aborted }, true);
          }
        };
        const onExit = (code: number | null, exitSignal: NodeJS.Signals | null) =>
          finish(
            {
              ok: false,
              failure: {
                code: RecordingJobErrorCode.Crashed,
                message: `The recording process exited (${exitSignal ?? `code ${code}`}) during the recording`,
              },
              aborted: signal?.aborted ?? false,
            },
            false,
          );
        const onAbort = () => {
          send(child, { type: 'abort' });
          killTimer = setTimeout(() => child.kill('SIGKILL'), ABORT_GRACE_MS);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        signal?.addEventListener('abort', onAbort, { once: true });
        send(child, { type: 'run', request });
        if (signal?.aborted) onAbort();
      });
    },
    async close() {
      const closing = [...all].map(
        (pooled) =>
          new Promise<void>((resolve) => {
            if (pooled.exited) return resolve();
            pooled.child.once('exit', () => resolve());
            // A closed channel is the process's cue to end (it aborts a recording still running).
            if (pooled.child.connected) pooled.child.disconnect();
            else pooled.child.kill('SIGKILL');
          }),
      );
      idle.length = 0;
      await Promise.all(closing);
    },
  };
}
