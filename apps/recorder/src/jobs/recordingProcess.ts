/**
 * The process a worker runs its recordings in, one at a time, off the
 * worker's event loop: it gets `{ type: 'run', request }` over IPC and
 * answers with progress and the outcome (see recordingMessages.ts).
 *
 * It ignores SIGINT and SIGTERM: a Ctrl-C in a terminal or a supervisor's
 * TERM to the process group is the worker's to act on (drain first), and
 * the worker says `abort` when the job must stop. When the worker is gone
 * (its IPC channel closed: it was killed), the running recording is
 * aborted (its downloads kept for the job's next run) and the process exits.
 */

import type { RecordProgress } from '../RecordOptions.js';
import { record } from '../record.js';
import { jobFailureOf } from './jobFailure.js';
import type { FromRecordingProcess, ToRecordingProcess } from './recordingMessages.js';
import { recordOptionsOf } from './recordingRequest.js';

/** Progress goes to Redis: a few updates a second are plenty (a phase change always goes). */
const PROGRESS_INTERVAL_MS = 250;

const send = (message: FromRecordingProcess) => {
  if (process.connected) process.send?.(message);
};

let running: AbortController | undefined;

async function run(request: ToRecordingProcess & { type: 'run' }) {
  const controller = new AbortController();
  running = controller;
  let sentAt = 0;
  let phase: RecordProgress['phase'] | undefined;
  const onProgress = (progress: RecordProgress) => {
    const now = Date.now();
    if (progress.phase === phase && now - sentAt < PROGRESS_INTERVAL_MS && progress.percent !== 1) return;
    phase = progress.phase;
    sentAt = now;
    send({ type: 'progress', progress });
  };
  try {
    const summary = await record({
      ...recordOptionsOf(request.request),
      signal: controller.signal,
      onProgress,
    });
    send({ type: 'done', summary });
  } catch (error) {
    send({ type: 'failed', failure: jobFailureOf(error), aborted: controller.signal.aborted });
  } finally {
    running = undefined;
    if (!process.connected) process.exit(0);
  }
}

process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => {
  if (!running) process.exit(0);
  running.abort(new Error('The worker is gone'));
  // An abort that does not settle (a stuck file system) must not leave us running.
  setTimeout(() => process.exit(1), 30_000).unref();
});
process.on('message', (message: ToRecordingProcess) => {
  if (message.type === 'abort') running?.abort(new Error('Stopped by the worker'));
  else if (message.type === 'run' && !running) void run(message);
});
send({ type: 'ready' });
