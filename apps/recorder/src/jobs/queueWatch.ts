import { type ConnectionOptions, Queue, QueueEvents } from 'bullmq';
import type { RecordingJobProgress } from './createRecordingWorker.js';
import { DEFAULT_QUEUE, type RecordingQueueOptions } from './queueSettings.js';
import type { RecordingQueue } from './withQueue.js';

/** What a waiter hears about its job. */
export interface JobListener {
  /** The job completed or failed (read its state to know which). */
  ended(): void;
  progress(progress: RecordingJobProgress): void;
}

/** One queue's event stream, shared by every waiter in this process. */
export interface QueueWatch {
  readonly queue: RecordingQueue;
  readonly name: string;
  /** Listens to job `id`'s events until the returned function is called. */
  listen(id: string, listener: JobListener): () => void;
  /** Leaves the watch; the last to leave closes its connections. */
  release(): Promise<void>;
}

interface SharedWatch {
  queue: RecordingQueue;
  events: QueueEvents;
  ready: Promise<unknown>;
  users: number;
  listeners: Map<string, Set<JobListener>>;
}

/**
 * Every QueueEvents reads the whole event stream of its queue on a
 * connection of its own: 200 waiters with one each made 200 blocking
 * connections, and each event was read 200 times (the bench's process and
 * Redis then took the cores from the workers). Waiters on the same queue
 * and connection share one.
 */
const watches = new Map<string, SharedWatch>();
const clientIds = new WeakMap<object, number>();
let nextClientId = 0;

function keyOf(connection: ConnectionOptions, name: string): string {
  if (isClient(connection)) {
    let id = clientIds.get(connection as object);
    if (id === undefined) {
      id = nextClientId++;
      clientIds.set(connection as object, id);
    }
    return `client ${id}\0${name}`;
  }
  // Options by their JSON: functions in them (a retryStrategy) are not part of the key, so waits
  // that differ only there share the first one's connection.
  return `${JSON.stringify(connection)}\0${name}`;
}

/** An ioredis client of the caller's (shared, never closed by us), not connection options. */
const isClient = (connection: ConnectionOptions): boolean =>
  typeof (connection as { duplicate?: unknown }).duplicate === 'function';

function open(connection: ConnectionOptions, name: string): SharedWatch {
  const queue: RecordingQueue = new Queue(name, { connection });
  queue.on('error', () => {});
  // Its reads block: BullMQ wants no per-request retry limit there (and says so on stderr otherwise).
  const blocking = isClient(connection) ? connection : { ...connection, maxRetriesPerRequest: null };
  const events = new QueueEvents(name, { connection: blocking });
  events.on('error', () => {}); // reconnects are BullMQ's; the waiters' polls cover what they miss
  const listeners = new Map<string, Set<JobListener>>();
  const each = (jobId: string, call: (listener: JobListener) => void) => {
    for (const listener of listeners.get(jobId) ?? []) call(listener);
  };
  events.on('completed', ({ jobId }) => each(jobId, (listener) => listener.ended()));
  events.on('failed', ({ jobId }) => each(jobId, (listener) => listener.ended()));
  events.on('progress', ({ jobId, data }) => {
    if (typeof data === 'object' && data !== null)
      each(jobId, (listener) => listener.progress(data as RecordingJobProgress));
  });
  const ready = events.waitUntilReady();
  ready.catch(() => {});
  return { queue, events, ready, users: 0, listeners };
}

/**
 * The watch of `options`' queue, listening before it resolves (an event
 * after that is not missed).
 */
export async function watchQueue(options: RecordingQueueOptions): Promise<QueueWatch> {
  const name = options.queue ?? DEFAULT_QUEUE;
  const key = keyOf(options.connection, name);
  let shared = watches.get(key);
  if (!shared) {
    shared = open(options.connection, name);
    watches.set(key, shared);
  }
  shared.users++;
  const watch = shared;
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    watch.users--;
    if (watch.users > 0) return;
    if (watches.get(key) === watch) watches.delete(key);
    await Promise.allSettled([watch.events.close(), watch.queue.close()]);
  };
  try {
    await watch.ready;
  } catch (error) {
    await release();
    throw error;
  }
  return {
    queue: watch.queue,
    name,
    listen(id, listener) {
      let set = watch.listeners.get(id);
      if (!set) {
        set = new Set();
        watch.listeners.set(id, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && watch.listeners.get(id) === set) watch.listeners.delete(id);
      };
    },
    release,
  };
}
