import { type CliContext, formatBytes, readFlags } from '@rec/cli';
import type { ConnectionOptions } from 'bullmq';
import { type CliArguments, recorderCliFlags, recordFlags, resolveRecordOptions } from '../config.js';
import { formatSummary, summaryJson } from '../formatSummary.js';
import { RecorderError, RecorderErrorCode } from '../RecorderError.js';
import { type RecordSummary, record } from '../record.js';
import { createRecordingWorker } from './createRecordingWorker.js';
import { batchFlags, type QueueCliOptions, queueFlags, submitFlags, workerFlags } from './jobFlags.js';
import { DEFAULT_QUEUE } from './queueSettings.js';
import { RecordingJobError, RecordingJobErrorCode } from './RecordingJobError.js';
import { batchIndexOf, readJobLine } from './readJobLine.js';
import { recordingJobCounts } from './recordingJobCounts.js';
import { recordingRequestOf, recordOptionsOf } from './recordingRequest.js';
import { recordingStatus } from './recordingStatus.js';
import { submitRecording } from './submitRecording.js';
import { waitForRecording } from './waitForRecording.js';

type Argv = Readonly<Record<string, unknown>>;

const print = (context: CliContext, value: Record<string, unknown>, text: string) =>
  process.stdout.write(context.json ? `${JSON.stringify({ ok: true, ...value }, null, 2)}\n` : text);

/** A recording's summary as a direct run prints it. */
function printSummary(context: CliContext, summary: RecordSummary) {
  context.progress.done();
  process.stdout.write(
    context.json ? `${JSON.stringify(summaryJson(summary), null, 2)}\n` : formatSummary(summary),
  );
}

/**
 * BullMQ's connection for `--redis URL`. A one-shot command gives up after
 * a few reconnects (a Redis that is down is an error, not a hang); a worker
 * reconnects for as long as it runs (Redis restarts, failovers).
 */
function connectionOf(flags: QueueCliOptions, { oneShot }: { oneShot: boolean }): ConnectionOptions {
  const url = flags.redis;
  if (!url)
    throw new RecorderError(RecorderErrorCode.BadArguments, 'Missing `--redis URL` (redis://host:6379)');
  if (!/^rediss?:\/\//.test(url)) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      'Expected `--redis` to be a redis:// or rediss:// URL',
    );
  }
  return oneShot
    ? { url, maxRetriesPerRequest: 2, retryStrategy: (times: number) => (times > 3 ? null : 250 * times) }
    : { url, maxRetriesPerRequest: null };
}

/** `recorder submit`: the recording's options as a direct run reads them, queued. */
export async function submitCommand(argv: Argv, context: CliContext): Promise<void> {
  const flags: CliArguments = { ...readFlags(recordFlags, argv), ...readFlags(recorderCliFlags, argv) };
  const { wait } = readFlags(submitFlags, argv);
  const queueOptions = readFlags(queueFlags, argv);
  const connection = connectionOf(queueOptions, { oneShot: true });
  const request = recordingRequestOf(await resolveRecordOptions(flags));
  const queue = queueOptions.queue ?? DEFAULT_QUEUE;
  const submitted = await submitRecording(request, { connection, queue });
  if (!wait) {
    const what = submitted.added
      ? 'added'
      : submitted.retried
        ? 'failed before, retried'
        : 'already queued or done';
    print(context, { ...submitted, queue }, `${submitted.id} ${what} (queue ${queue})\n`);
    return;
  }
  if (!context.json) process.stderr.write(`recorder: job ${submitted.id}\n`);
  const summary = await waitForRecording(submitted.id, {
    connection,
    queue,
    signal: context.signal,
    onProgress: context.progress.report,
  });
  printSummary(context, summary);
}

/**
 * `recorder worker`: runs jobs until SIGTERM/SIGINT. The first signal
 * drains (no new job; the running ones finish), a second puts the running
 * jobs back in the queue and ends.
 */
export async function workerCommand(argv: Argv, context: CliContext): Promise<void> {
  const options = readFlags(workerFlags, argv);
  const connection = connectionOf(readFlags(queueFlags, argv), { oneShot: false });
  const log = (line: string) => {
    if (!context.json) process.stderr.write(`recorder worker: ${line}\n`);
  };
  const recording = createRecordingWorker({ ...options, connection });
  const { worker } = recording;
  worker.on('active', (job) => log(`${job.id} started (${job.data.output})`));
  worker.on('completed', (job) => log(`${job.id} done (${job.data.output})`));
  worker.on('failed', (job, error) => log(`${job?.id} failed: ${error.message}`));
  worker.on('error', (error) => log(`Redis: ${error.message}`));
  await worker.waitUntilReady();
  log(`waiting for jobs in ${options.queue ?? DEFAULT_QUEUE} (concurrency ${options.concurrency ?? 1})`);
  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  log('draining: the running recordings finish, no new one starts (signal again to stop them now)');
  const onForce = () => {
    log('stopping: the running jobs go back to the queue');
    void recording.close({ force: true });
  };
  if (context.force.aborted) onForce();
  else context.force.addEventListener('abort', onForce, { once: true });
  await recording.close();
  log('stopped');
}

/** `recorder jobs`: counts per state, failed jobs by code. */
export async function jobsCommand(argv: Argv, context: CliContext): Promise<void> {
  const queueOptions = readFlags(queueFlags, argv);
  const result = await recordingJobCounts({
    connection: connectionOf(queueOptions, { oneShot: true }),
    queue: queueOptions.queue,
    failedLimit: context.json ? 1000 : 20,
  });
  const lines = Object.entries(result.counts).map(([state, count]) => `${state.padEnd(12)} ${count}`);
  for (const [code, count] of Object.entries(result.failedByCode)) lines.push(`  failed ${code}: ${count}`);
  for (const job of result.failed) lines.push(`${job.id} [${job.code}] ${job.output}: ${job.message}`);
  print(context, { ...result }, `${lines.join('\n')}\n`);
}

/** `recorder status ID`. */
export async function statusCommand(argv: Argv, context: CliContext): Promise<void> {
  const queueOptions = readFlags(queueFlags, argv);
  const id = String(argv.id ?? '');
  const status = await recordingStatus(id, {
    connection: connectionOf(queueOptions, { oneShot: true }),
    queue: queueOptions.queue,
  });
  if (!status) {
    throw new RecordingJobError(
      RecordingJobErrorCode.NotFound,
      `No recording job ${id} in queue ${queueOptions.queue ?? DEFAULT_QUEUE}`,
      { jobId: id },
    );
  }
  const lines = [
    `${status.id} ${status.state} (attempt ${status.attemptsMade} of ${status.attempts})`,
    `  output  ${status.request.output}`,
  ];
  if (status.progress && status.state === 'active') {
    const { phase, percent, transferred, unit } = status.progress;
    const amount = unit === 'bytes' ? formatBytes(transferred) : `${transferred} ${unit}`;
    lines.push(`  ${phase}  ${percent === undefined ? amount : `${(percent * 100).toFixed(0)} %`}`);
  }
  if (status.failure) lines.push(`  error   ${status.failure.message} [${status.failure.code}]`);
  if (status.summary)
    lines.push(
      ...formatSummary(status.summary)
        .trimEnd()
        .split('\n')
        .map((line) => `  ${line}`),
    );
  print(context, { ...status }, `${lines.join('\n')}\n`);
}

/** `recorder batch --jobs FILE --index N`: line N of the job file, run here as a direct run. */
export async function batchCommand(argv: Argv, context: CliContext): Promise<void> {
  const flags = readFlags(batchFlags, argv);
  if (!flags.jobs) throw new RecorderError(RecorderErrorCode.BadArguments, 'Missing `--jobs FILE.jsonl`');
  const index = flags.index ?? batchIndexOf(process.env);
  if (index === undefined) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      'Missing `--index N` (or AWS_BATCH_JOB_ARRAY_INDEX / JOB_COMPLETION_INDEX)',
    );
  }
  if (!Number.isInteger(index) || index < 0) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Expected \`--index\` to be an integer from 0, got ${index}`,
    );
  }
  const request = await readJobLine(flags.jobs, index);
  const summary = await record({
    ...recordOptionsOf(request),
    signal: context.signal,
    onProgress: context.progress.report,
  });
  printSummary(context, summary);
}
