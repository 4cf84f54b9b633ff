/**
 * Recording jobs on BullMQ (issue 13), on a throwaway redis-server and a
 * local S3 server (s3rver) holding 60 s of small 1-s segments (160x90
 * H.264 at 10 fps + 8 kHz mono WAV):
 *
 * (a) N short recordings (3-s windows, TS, default 200):
 *     - one after another with `record()` in this process (the reference);
 *     - as jobs on 1, then 2 `recorder worker` processes (warmed up first:
 *       each worker's recording process is started by a job of its own);
 *     throughput of each, and the engine's overhead per job: the worker's
 *     time on the job beyond the recording's own (`finishedOn - processedOn
 *     - summary.timings.total`: IPC, progress, bookkeeping) plus the gap
 *     from the worker's previous job to this one (fetching it), p50/p95.
 * (b) a soak: 4 workers, a random one killed with -9 every 10 s and
 *     started again, M recordings (default 1,000): lost jobs, outputs that
 *     differ from the reference or are not where they should be, and the
 *     time from each kill to the killed worker's jobs running again
 *     (default lock settings: 10-s locks, 5-s stalled checks).
 *
 * Every output is compared with the reference recording of its window.
 *
 *   pnpm bench jobs [--recordings 200] [--soak 1000] [--kill-every 10]
 *
 * It ends with
 *
 *   jobs: ... ratio=<2-worker throughput / 1-worker throughput>
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  makeAudioSegments,
  makeVideoSegments,
  s3rverCredentials,
  startRedis,
  startS3Server,
} from '@rec/test-support';
import {
  type RecordingRequest,
  type RecordSummary,
  record,
  recordingStatus,
  submitRecording,
  waitForRecording,
} from '../apps/recorder/src/index.js';
import { recordOptionsOf } from '../apps/recorder/src/jobs/recordingRequest.js';
import { parseProcStat } from './procStat.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'apps/recorder/bin/recorder.js');
const work = join(tmpdir(), 'rec-bench', 'jobs');
const E0 = 1_700_000_000;
const SEGMENTS = 60;
const bucket = 'cams';
const prefix = 'recordings/cam01';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}
const recordings = argument('recordings', 200);
const soakJobs = argument('soak', 1000);
const killEvery = argument('kill-every', 10);
/**
 * `--pin`: worker k (and its recording process and ffmpegs) runs on core k only (taskset), so
 * that each worker has a core of its own: what "2 workers where the machine has the cores" means
 * on 2 cores, where 1 unpinned worker keeps more than one core busy.
 */
const pin = process.argv.includes('--pin');

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * CPU seconds of this process's whole tree (Redis, s3rver in this process, the workers, their
 * recording processes and ffmpegs): each live process's own time plus that of the children it
 * has reaped, so a tick counts once whether its process is alive or gone. Over a phase, the
 * difference / wall time is how many cores our work kept busy, whatever else runs on the machine;
 * what 1 worker keeps busy bounds what 2 can gain: cores / busy.
 */
function treeCpuSeconds(): number {
  const parents = new Map<number, number>();
  const times = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text = '';
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      // gone meanwhile
    }
    const stat = parseProcStat(text);
    if (!stat) continue;
    parents.set(Number(name), stat.ppid);
    times.set(Number(name), stat.cpu + stat.childrenCpu);
  }
  const ours = (pid: number): boolean => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parents.get(at))
      if (at === process.pid) return true;
    return false;
  };
  let seconds = 0;
  for (const [pid, value] of times) if (ours(pid)) seconds += value;
  return seconds;
}
const busyCores = (fromCpu: number, seconds: number) => (treeCpuSeconds() - fromCpu) / seconds;

/** The window of recording `i`: 3 s, starting every quarter second over the 60 s of segments. */
const windows = Math.max(1, Math.min(recordings, 200));
const requestOf = (i: number, endpoint: string, folder: string): RecordingRequest => ({
  source: { type: 's3', bucket, prefix, region: 'us-east-1', endpoint, forcePathStyle: true },
  start: E0 + 1 + (i % windows) / 4,
  end: E0 + 4 + (i % windows) / 4,
  output: join(work, folder, `rec-${String(i).padStart(4, '0')}.ts`),
  tempDir: join(work, 'tmp'),
  concurrency: 8,
});

interface Worker {
  child: ChildProcess;
  stderr: string;
  exited: Promise<void>;
}

function startWorker(redis: string, queue: string, core?: number): Worker {
  const command = [process.execPath, bin, 'worker', '--redis', redis, '--queue', queue];
  if (core !== undefined) command.unshift('taskset', '--cpu-list', String(core));
  const [file = '', ...args] = command;
  const child = spawn(file, args, {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const worker: Worker = {
    child,
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    worker.stderr += chunk;
  });
  return worker;
}

async function until(what: string, check: () => boolean, ms = 120_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`No ${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether each output equals the reference of its window; the files in `folder` that are not an expected output. */
async function compare(folder: string, count: number, references: Buffer[]) {
  let differing = 0;
  for (let i = 0; i < count; i++) {
    const bytes = await readFile(join(work, folder, `rec-${String(i).padStart(4, '0')}.ts`)).catch(
      () => undefined,
    );
    if (!bytes?.equals(references[i % windows] ?? Buffer.alloc(0))) differing++;
  }
  const expected = new Set(Array.from({ length: count }, (_, i) => `rec-${String(i).padStart(4, '0')}.ts`));
  // No folder when nothing ran there (`--soak 0`): every expected output then counts as differing.
  const strays = (await readdir(join(work, folder)).catch(() => [])).filter(
    (name) => !expected.has(name),
  ).length;
  return { differing, strays };
}

const redis = await startRedis();
const s3 = await startS3Server();
const workers: Worker[] = [];
try {
  await rm(work, { recursive: true, force: true });
  const media = join(work, 'media');
  const shape = { dir: media, camera: prefix, startEpoch: E0, count: SEGMENTS, segmentSeconds: 1 };
  await makeVideoSegments({ ...shape, width: 160, height: 90, fps: 10 });
  await makeAudioSegments({ ...shape, sampleRate: 8_000 });
  await s3.createBucket(bucket);
  const objects: [string, Uint8Array][] = [];
  for (const kind of ['video', 'audio']) {
    const dir = join(media, prefix, '00', kind);
    for (const name of await readdir(dir))
      objects.push([`${prefix}/00/${kind}/${name}`, await readFile(join(dir, name))]);
  }
  await s3.putObjects(bucket, objects);
  const connection = { url: redis.url };
  const credentials = { ...s3rverCredentials };

  // The reference: one after another in this process.
  const references: Buffer[] = [];
  const sequentialTotals: number[] = [];
  let started = performance.now();
  const cpu = treeCpuSeconds();
  for (let i = 0; i < recordings; i++) {
    const options = recordOptionsOf(requestOf(i, s3.endpoint, 'sequential'));
    if (options.source.type === 's3') options.source.credentials = credentials;
    sequentialTotals.push((await record(options)).timings.total);
    if (i < windows) references.push(await readFile(requestOf(i, s3.endpoint, 'sequential').output));
  }
  const sequentialSeconds = (performance.now() - started) / 1000;
  const sequentialBusy = busyCores(cpu, sequentialSeconds);
  console.error(
    `sequential: ${recordings} in ${sequentialSeconds.toFixed(1)} s, a recording ${round(mean(sequentialTotals) * 1000, 0)} ms on average, ${round(sequentialBusy)} cores busy`,
  );

  /** N recordings on `count` warmed-up workers: seconds, per-job overheads, and the output check. */
  async function onWorkers(count: number) {
    const queue = `bench-${count}`;
    const folder = `workers-${count}`;
    const pool = Array.from({ length: count }, (_, k) =>
      startWorker(redis.url, queue, pin ? k % availableParallelism() : undefined),
    );
    workers.push(...pool);
    await until('workers ready', () => pool.every((worker) => worker.stderr.includes('waiting for jobs')));
    // Warm-up: one job per worker starts its recording process (tsx from the sources: seconds).
    const warm = await Promise.all(
      Array.from({ length: count * 2 }, (_, i) =>
        submitRecording(requestOf(i, s3.endpoint, `warm-${count}`), { connection, queue }),
      ),
    );
    await Promise.all(warm.map(({ id }) => waitForRecording(id, { connection, queue })));
    started = performance.now();
    const cpu = treeCpuSeconds();
    const submitted = await Promise.all(
      Array.from({ length: recordings }, (_, i) =>
        submitRecording(requestOf(i, s3.endpoint, folder), { connection, queue }),
      ),
    );
    const summaries: RecordSummary[] = await Promise.all(
      submitted.map(({ id }) => waitForRecording(id, { connection, queue })),
    );
    const seconds = (performance.now() - started) / 1000;
    const busy = busyCores(cpu, seconds);
    const jobs = await Promise.all(submitted.map(({ id }) => recordingStatus(id, { connection, queue })));
    const overheads: number[] = [];
    const byWorker = new Map<string, { processedOn: number; finishedOn: number }[]>();
    for (const [i, job] of jobs.entries()) {
      if (!job?.startedAt || !job.finishedAt) continue;
      const own = job.finishedAt - job.startedAt - (summaries[i]?.timings.total ?? 0) * 1000;
      overheads.push(own);
      const list = byWorker.get(job.worker ?? '') ?? [];
      list.push({ processedOn: job.startedAt, finishedOn: job.finishedAt });
      byWorker.set(job.worker ?? '', list);
    }
    // The gap from a worker's previous job to its next one (the queue is never empty meanwhile).
    const gaps: number[] = [];
    for (const list of byWorker.values()) {
      list.sort((a, b) => a.processedOn - b.processedOn);
      for (let k = 1; k < list.length; k++)
        gaps.push(Math.max(0, (list[k]?.processedOn ?? 0) - (list[k - 1]?.finishedOn ?? 0)));
    }
    const perJob = overheads.map((own, i) => own + (gaps[i] ?? 0));
    const ms = (values: number[]) =>
      `p50 ${round(percentile(values, 50), 1)} / p95 ${round(percentile(values, 95), 1)} ms`;
    console.error(
      `${count} worker(s): on the job beyond the recording ${ms(overheads)}; between jobs ${ms(gaps)}`,
    );
    const check = await compare(folder, recordings, references);
    for (const worker of pool) worker.child.kill('SIGTERM');
    await Promise.all(pool.map((worker) => worker.exited));
    const recordingMs = round(mean(summaries.map((summary) => summary.timings.total)) * 1000, 0);
    console.error(
      `${count} worker(s): ${recordings} in ${seconds.toFixed(1)} s, a recording ${recordingMs} ms on average, ${round(busy)} cores busy, ${JSON.stringify(check)}`,
    );
    return { seconds, perJob, busy, ...check };
  }

  const one = await onWorkers(1);
  const two = await onWorkers(2);

  // (b) The soak.
  const soakQueue = 'bench-soak';
  const soak = Array.from({ length: 4 }, () => startWorker(redis.url, soakQueue));
  workers.push(...soak);
  await until('soak workers ready', () => soak.every((worker) => worker.stderr.includes('waiting for jobs')));
  started = performance.now();
  const soakSubmitted = await Promise.all(
    Array.from({ length: soakJobs }, (_, i) =>
      submitRecording(requestOf(i, s3.endpoint, 'soak'), { connection, queue: soakQueue }),
    ),
  );
  const soakIds = new Set(soakSubmitted.map(({ id }) => id));
  const kills: { at: number; jobs: string[] }[] = [];
  let soakDone = false;
  const soakEnded = Promise.all(
    soakSubmitted.map(({ id }) =>
      waitForRecording(id, { connection, queue: soakQueue }).then(
        () => true,
        () => false,
      ),
    ),
  ).finally(() => {
    soakDone = true;
  });
  const killer = (async () => {
    while (!soakDone) {
      await new Promise((resolve) => setTimeout(resolve, killEvery * 1000));
      if (soakDone) break;
      const index = Math.floor(Math.random() * soak.length);
      const victim = soak[index];
      if (!victim?.child.pid) continue;
      // Its running jobs: started and not done, from its own log.
      const startedIds = [...victim.stderr.matchAll(/([0-9a-f]{64}) started/g)].map((m) => m[1] ?? '');
      const doneIds = new Set(
        [...victim.stderr.matchAll(/([0-9a-f]{64}) (done|failed)/g)].map((m) => m[1] ?? ''),
      );
      const running = startedIds.filter((id) => !doneIds.has(id) && soakIds.has(id));
      try {
        process.kill(-victim.child.pid, 'SIGKILL');
      } catch {}
      kills.push({ at: Date.now(), jobs: running });
      await victim.exited;
      const replacement = startWorker(redis.url, soakQueue);
      soak[index] = replacement;
      workers.push(replacement);
    }
  })();
  const outcomes = await soakEnded;
  await killer;
  const soakSeconds = (performance.now() - started) / 1000;
  const lost = outcomes.filter((ok) => !ok).length;
  const soakCheck = await compare('soak', soakJobs, references);
  // From each kill to its jobs running again: their last start (processedOn) after the kill.
  const restarts: number[] = [];
  for (const kill of kills) {
    for (const id of kill.jobs) {
      const job = await recordingStatus(id, { connection, queue: soakQueue });
      if (job?.startedAt && job.startedAt > kill.at) restarts.push((job.startedAt - kill.at) / 1000);
    }
  }
  for (const worker of soak) worker.child.kill('SIGTERM');
  await Promise.all(soak.map((worker) => worker.exited));

  const throughput = (seconds: number) => recordings / seconds;
  console.log(
    [
      'jobs:',
      `recordings=${recordings}`,
      `pinned=${pin}`,
      `cores=${availableParallelism()}`,
      `sequential_s=${round(sequentialSeconds, 1)}`,
      `one_worker_s=${round(one.seconds, 1)}`,
      `two_workers_s=${round(two.seconds, 1)}`,
      `sequential_busy_cores=${round(sequentialBusy)}`,
      `one_worker_busy_cores=${round(one.busy)}`,
      `two_workers_busy_cores=${round(two.busy)}`,
      // What 2 workers could gain here at most, given the cores 1 worker kept busy.
      `two_workers_ceiling=${round(Math.min(2, availableParallelism() / one.busy))}`,
      `one_vs_sequential=${round(throughput(one.seconds) / throughput(sequentialSeconds))}`,
      `two_vs_sequential=${round(throughput(two.seconds) / throughput(sequentialSeconds))}`,
      `overhead_p50_ms=${round(percentile([...one.perJob, ...two.perJob], 50), 1)}`,
      `overhead_p95_ms=${round(percentile([...one.perJob, ...two.perJob], 95), 1)}`,
      `differing=${one.differing + two.differing + soakCheck.differing}`,
      `strays=${one.strays + two.strays + soakCheck.strays}`,
      `soak_jobs=${soakJobs}`,
      `soak_s=${round(soakSeconds, 1)}`,
      `soak_kills=${kills.length}`,
      `soak_lost=${lost}`,
      `soak_restart_p50_s=${round(percentile(restarts, 50), 1)}`,
      `soak_restart_max_s=${round(Math.max(0, ...restarts), 1)}`,
      `ratio=${round(throughput(two.seconds) / throughput(one.seconds))}`,
    ].join(' '),
  );
} finally {
  for (const worker of workers) {
    if (worker.child.pid && worker.child.exitCode === null) {
      try {
        process.kill(-worker.child.pid, 'SIGKILL');
      } catch {}
    }
  }
  await Promise.allSettled([redis.stop(), s3.stop()]);
}
