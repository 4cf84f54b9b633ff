import { Queue } from 'bullmq';
import type { RecordSummary } from '../record.js';
import { DEFAULT_QUEUE, type RecordingQueueOptions } from './queueSettings.js';
import { RecordingJobError, RecordingJobErrorCode } from './RecordingJobError.js';
import type { RecordingRequest } from './recordingRequest.js';

export type RecordingQueue = Queue<RecordingRequest, RecordSummary>;

const unreachable = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|Connection is closed/;

/** What a failed Redis call throws: `RECORDER_REDIS_UNAVAILABLE` when Redis cannot be reached, else the error. */
export function asQueueError(error: unknown): unknown {
  const text = error instanceof Error ? `${(error as { code?: string }).code ?? ''} ${error.message}` : '';
  if (!unreachable.test(text)) return error;
  return new RecordingJobError(
    RecordingJobErrorCode.RedisUnavailable,
    `Cannot reach Redis: ${(error as Error).message}`,
    { cause: error },
  );
}

/** Runs `use` with the recording queue, closed afterwards (the caller's ioredis client stays open). */
export async function withQueue<T>(
  options: RecordingQueueOptions,
  use: (queue: RecordingQueue, name: string) => Promise<T>,
): Promise<T> {
  const name = options.queue ?? DEFAULT_QUEUE;
  const queue: RecordingQueue = new Queue(name, { connection: options.connection });
  // Without a listener BullMQ prints every failed reconnect; the failed call says it once.
  queue.on('error', () => {});
  try {
    return await use(queue, name);
  } catch (error) {
    throw asQueueError(error);
  } finally {
    await queue.close().catch(() => {});
  }
}
