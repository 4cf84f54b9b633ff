import type { CliOptions } from '@rec/cli';
import type { RecordingWorkerOptions } from './createRecordingWorker.js';

/** `--redis URL --queue NAME`: where the queue is, for every jobs command (BullMQ's `connection` from the URL). */
export interface QueueCliOptions {
  redis?: string;
  queue?: string;
}

const redisFlag = {
  type: 'string',
  describe:
    'Redis URL: redis://[user:password@]host:6379[/db], rediss:// for TLS (its password is never printed)',
  group: 'Queue:',
} as const;
const queueFlag = {
  type: 'string',
  describe: 'queue name (default rec-recordings)',
  group: 'Queue:',
} as const;

export const queueFlags = { redis: redisFlag, queue: queueFlag } satisfies CliOptions<QueueCliOptions>;

/** `recorder submit`'s own flags, besides the recording's and the queue's. */
export const submitFlags = {
  wait: {
    type: 'boolean',
    describe: "wait for the job: its progress, then the recording's summary and exit code, as a direct run",
  },
} satisfies CliOptions<{ wait?: boolean }>;

/** `recorder worker`: the worker's options, one flag each (`connection` is `--redis`). */
export const workerFlags = {
  connection: null, // --redis
  queue: queueFlag,
  concurrency: {
    type: 'number',
    describe: 'recordings at the same time, each in a process of its own (default 1)',
  },
  lockDuration: {
    type: 'number',
    describe:
      "milliseconds a job's lock lasts; a dead worker's job runs again after about this plus twice the stalled interval (default 5000)",
    group: 'Advanced:',
  },
  stalledInterval: {
    type: 'number',
    describe: 'milliseconds between checks for jobs of dead workers (default 5000)',
    group: 'Advanced:',
  },
  maxStalledCount: {
    type: 'number',
    describe: 'a job whose worker died more often than this fails (default 3)',
    group: 'Advanced:',
  },
} satisfies CliOptions<RecordingWorkerOptions>;

/** `recorder batch`. */
export interface BatchCliOptions {
  jobs?: string;
  index?: number;
}

export const batchFlags = {
  jobs: { type: 'string', describe: 'job file: one recording request (JSON) per line' },
  index: {
    type: 'number',
    describe: 'line to run, from 0 (default: AWS_BATCH_JOB_ARRAY_INDEX, else JOB_COMPLETION_INDEX)',
  },
} satisfies CliOptions<BatchCliOptions>;
