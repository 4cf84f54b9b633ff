/**
 * Recording jobs on a real Redis (redis-server) and a real S3 server
 * (s3rver, behind a proxy that slows each GET so that a job lasts long
 * enough to be killed in): `recorder worker` processes, killed with -9 or
 * stopped with SIGTERM, against outputs made by `record()` directly.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  type FaultRule,
  type HttpTestServer,
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  type RedisTestServer,
  type S3TestServer,
  s3rverCredentials,
  startHttpServer,
  startRedis,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RecordingJobError,
  type RecordingRequest,
  record,
  recordingJobCounts,
  recordingJobId,
  recordingStatus,
  submitRecording,
  waitForRecording,
} from '../../src/index.js';
import { recordOptionsOf } from '../../src/jobs/recordingRequest.js';
import { treeObjects } from '../helpers/media.js';
import { runCli } from '../helpers/runCli.js';
import { type SpawnedCli, spawnCli } from '../helpers/spawnCli.js';

const E0 = 1_700_000_000;
const bucket = 'cams';
const prefix = 'recordings/cam05';
const count = 14;
const jobs = 20;
/** Short locks: a killed worker's job is back within 2 + 2 x 1 s (the defaults are 5 + 2 x 5 s). */
const workerArgs = ['--lock-duration', '2000', '--stalled-interval', '1000'];

/** Polls `check` until it holds (or fails after `ms`). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`No ${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('recording jobs: recorder worker processes on Redis', () => {
  let redis: RedisTestServer;
  let s3: S3TestServer;
  let proxy: HttpTestServer;
  let dir: TempDir;
  const workers: SpawnedCli[] = [];
  /** The 20 requests, through the slow proxy; their outputs in `out/`. */
  let requests: RecordingRequest[];
  /** The same recordings made by `record()` directly (from s3rver itself), by output name. */
  const references = new Map<string, Buffer>();
  let queueIndex = 0;
  /** The queue of the first three tests, served by the workers the first one leaves running. */
  const shared = 'shared';
  const connection = () => ({ url: redis.url });

  const startWorker = (queue: string, extra: string[] = []) => {
    const worker = spawnCli(['worker', '--redis', redis.url, '--queue', queue, ...workerArgs, ...extra]);
    workers.push(worker);
    return worker;
  };
  const freshQueue = () => `test-${++queueIndex}`;
  const request = (i: number, endpoint: string, folder = 'out'): RecordingRequest => ({
    source: { type: 's3', bucket, prefix, region: 'us-east-1', endpoint, forcePathStyle: true },
    // 20 windows of 3 s, each starting a quarter second later: 20 jobs, 20 ids.
    start: E0 + 1 + i / 4,
    end: E0 + 4 + i / 4,
    output: join(dir.path, folder, `rec-${String(i).padStart(2, '0')}.${i % 5 === 0 ? 'mp4' : 'ts'}`),
    // One download at a time through the slow proxy: a job lasts a second or so.
    concurrency: 1,
    tempDir: join(dir.path, 'tmp'),
  });

  beforeAll(async () => {
    [redis, s3, dir] = await Promise.all([startRedis(), startS3Server(), makeTempDir()]);
    const media = join(dir.path, 'media');
    const shape = { dir: media, camera: prefix, startEpoch: E0, count, segmentSeconds: 1 };
    await makeVideoSegments({ ...shape, width: 160, height: 90, fps: 10 });
    await makeAudioSegments({ ...shape, sampleRate: 16_000 });
    await s3.createBucket(bucket);
    await s3.putObjects(bucket, await treeObjects(media));
    proxy = await startHttpServer({
      upstream: s3.endpoint,
      faults: [{ path: /\/00\/(video|audio)\//, method: 'GET', fault: { kind: 'delay', ms: 100 } }],
    });
    requests = Array.from({ length: jobs }, (_, i) => request(i, proxy.url));
    // The references: record() in this process, from s3rver itself, into `ref/`.
    for (let i = 0; i < jobs; i++) {
      const reference = request(i, s3.endpoint, 'ref');
      const options = recordOptionsOf(reference);
      if (options.source.type === 's3') options.source.credentials = { ...s3rverCredentials };
      await record({ ...options, concurrency: 8 });
      references.set(`rec-${String(i).padStart(2, '0')}`, await readFile(reference.output));
    }
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) worker.kill9();
    await Promise.all(workers.map((worker) => worker.exited));
    await proxy?.stop();
    await Promise.all([redis?.stop(), s3?.stop()]);
    await dir?.remove();
  }, 60_000);

  it('20 jobs on 2 workers, one killed with -9 mid-job: all complete, each byte-identical to record(), nothing partial', async () => {
    const queue = shared;
    const [first] = [startWorker(queue), startWorker(queue)];
    const submitted = await Promise.all(
      requests.map((r) => submitRecording(r, { connection: connection(), queue })),
    );
    expect(submitted.every((job) => job.added)).toBe(true);
    expect(new Set(submitted.map((job) => job.id)).size).toBe(jobs);
    expect(submitted.map((job) => job.id)).toEqual(requests.map(recordingJobId));

    // Killed while it runs a job: the job goes back to the queue once its 2-s lock expires.
    await until('job started on the first worker', () => /started/.test(first?.stderr() ?? ''), 45_000);
    const killedJob = /recorder worker: ([0-9a-f]{64}) started/.exec(first?.stderr() ?? '')?.[1];
    first?.kill9();
    expect((await first?.exited)?.signal).toBe('SIGKILL');
    startWorker(queue); // its replacement, as a supervisor would start one

    const waiting = Promise.all(
      submitted.map(({ id }) => waitForRecording(id, { connection: connection(), queue })),
    );
    // The 20 waits share one event stream: one blocking XREAD connection, not one per job.
    const admin = new Redis(redis.url);
    try {
      const readers = async () =>
        String(await admin.client('LIST'))
          .split('\n')
          .filter((line) => /\bcmd=xread\b/.test(line)).length;
      await until('the waiters reading events', async () => (await readers()) > 0, 20_000);
      expect(await readers()).toBe(1);
    } finally {
      admin.disconnect();
    }
    const summaries = await waiting;
    expect(summaries.map((summary) => summary.output)).toEqual(requests.map((r) => r.output));
    const written = (await readdir(join(dir.path, 'out'))).sort();
    // Only the 20 final names: no part file, no temp name left beside them.
    expect(written).toEqual([...references.keys()].map((name, i) => `${name}.${i % 5 === 0 ? 'mp4' : 'ts'}`));
    for (const [i, name] of written.entries()) {
      const bytes = await readFile(join(dir.path, 'out', name));
      expect(bytes.equals(references.get(name.replace(/\.\w+$/, '')) ?? Buffer.alloc(0)), name).toBe(true);
      expect(summaries[i]?.bytes.output).toBe(bytes.length);
    }
    const killed = await recordingStatus(killedJob ?? '', { connection: connection(), queue });
    expect(killed?.state).toBe('completed');

    // The same 20 again: no job added, none run again.
    const again = await Promise.all(
      requests.map((r) => submitRecording(r, { connection: connection(), queue })),
    );
    expect(again.map((job) => job.added)).toEqual(Array(jobs).fill(false));
    const counts = await recordingJobCounts({ connection: connection(), queue });
    expect(counts.counts).toMatchObject({ waiting: 0, active: 0, delayed: 0, completed: jobs, failed: 0 });
  }, 90_000);

  it('a job with an empty window fails once, with NOTHING_IN_WINDOW on the job', async () => {
    const queue = shared; // its two workers are running
    const empty = { ...request(0, s3.endpoint, 'empty'), start: E0 + 500, end: E0 + 510 };
    const { id } = await submitRecording(empty, { connection: connection(), queue });
    const failure = await waitForRecording(id, { connection: connection(), queue }).catch((error) => error);
    expect(failure).toBeInstanceOf(RecordingJobError);
    expect(failure).toMatchObject({ code: 'NOTHING_IN_WINDOW', attemptsMade: 1, jobId: id });

    // `recorder jobs` lists it by code; `recorder status` shows it; `submit --wait` exits as a direct run (3).
    const jobsRun = await runCli(['jobs', '--redis', redis.url, '--queue', queue, '--json']);
    expect(jobsRun.code).toBe(0);
    const listed = JSON.parse(jobsRun.stdout);
    expect(listed.counts.failed).toBe(1);
    expect(listed.failedByCode).toEqual({ NOTHING_IN_WINDOW: 1 });
    expect(listed.failed[0]).toMatchObject({ id, code: 'NOTHING_IN_WINDOW', attemptsMade: 1 });
    const status = await runCli(['status', id, '--redis', redis.url, '--queue', queue]);
    expect(status.stdout).toContain(`${id} failed (attempt 1 of 5)`);
    expect(status.stdout).toContain('[NOTHING_IN_WINDOW]');
    const missing = await recordingStatus('nope', { connection: connection(), queue });
    expect(missing).toBeUndefined();
  }, 60_000);

  it('recorder submit --wait: progress, then the summary and exit code of a direct run', async () => {
    const queue = shared;
    const output = join(dir.path, 'submitted', 'rec-03.ts');
    const source = ['--bucket', bucket, '--prefix', prefix, '--endpoint', s3.endpoint, '--force-path-style'];
    const queueArgs = ['--redis', redis.url, '--queue', queue];
    const window = ['--start', String(E0 + 1.75), '--end', String(E0 + 4.75)];
    const args = ['submit', ...source, ...window, '-o', output, ...queueArgs];
    const run = await runCli([...args, '--wait', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, output, format: 'ts' });
    expect((await readFile(output)).equals(references.get('rec-03') ?? Buffer.alloc(0))).toBe(true);
    // Without --wait: the id, and nothing added the second time.
    const again = await runCli([...args, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, added: false, retried: false });

    const emptyWindow = ['--start', String(E0 + 500), '--end', String(E0 + 510)];
    const empty = await runCli(['submit', ...source, ...emptyWindow, '-o', output, ...queueArgs, '--wait']);
    // Code and stderr in one assertion: a wrong exit code shows what was printed (seen once under load: 2).
    expect({ code: empty.code, stderr: empty.stderr }).toEqual({
      code: 3,
      stderr: expect.stringMatching(/^recorder: No segments in .* \[NOTHING_IN_WINDOW\]$/m),
    });
  }, 60_000);

  it('an s3:// output: the object appears once the job completes, the same bytes as record() wrote', async () => {
    const queue = shared;
    await s3.createBucket('exports');
    const job = { ...request(4, s3.endpoint, 'unused'), output: 's3://exports/jobs/rec-04.ts' };
    const { id } = await submitRecording(job, { connection: connection(), queue });
    const summary = await waitForRecording(id, { connection: connection(), queue });
    expect(summary.output).toBe('s3://exports/jobs/rec-04.ts');
    const object = await s3.client.send(new GetObjectCommand({ Bucket: 'exports', Key: 'jobs/rec-04.ts' }));
    const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    expect(bytes.equals(references.get('rec-04') ?? Buffer.alloc(0))).toBe(true);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'exports' }));
    expect(listed.Contents?.map((entry) => entry.Key)).toEqual(['jobs/rec-04.ts']);
  }, 60_000);

  it('S3 failing for longer than its per-request retries: the job fails transiently, waits its backoff, and the retry writes the bytes of record()', async () => {
    const queue = freshQueue();
    // Every video GET answers 503 SlowDown until the first attempt has failed; the rules are read
    // per request, so emptying the array heals the server.
    const faults: FaultRule[] = [
      { path: /\/00\/video\//, method: 'GET', fault: { kind: 'status', status: 503, code: 'SlowDown' } },
    ];
    const flaky = await startHttpServer({ upstream: s3.endpoint, faults });
    try {
      startWorker(queue);
      const job = { ...request(6, flaky.url, 'retried'), concurrency: 8 };
      const { id } = await submitRecording(job, { connection: connection(), queue });
      let first: Awaited<ReturnType<typeof recordingStatus>>;
      await until(
        'the first attempt to fail',
        async () => {
          first = await recordingStatus(id, { connection: connection(), queue });
          return (first?.attemptsMade ?? 0) >= 1;
        },
        45_000,
      );
      const failedAt = Date.now();
      faults.length = 0;
      expect(first?.state).toBe('delayed');
      expect(first?.failure?.code).toBe('DOWNLOAD_FAILED'); // after s3-segments' own retries of each GET
      const summary = await waitForRecording(id, { connection: connection(), queue });
      const done = await recordingStatus(id, { connection: connection(), queue });
      expect(done).toMatchObject({ state: 'completed', attemptsMade: 2 });
      // The queue's backoff (5 s, exponential) is what separated the attempts.
      expect((done?.startedAt ?? 0) - failedAt).toBeGreaterThan(3_000);
      const bytes = await readFile(job.output);
      expect(bytes.equals(references.get('rec-06') ?? Buffer.alloc(0))).toBe(true);
      expect(summary.bytes.output).toBe(bytes.length);
      expect(await readdir(join(dir.path, 'retried'))).toEqual(['rec-06.ts']);
    } finally {
      await flaky.stop();
    }
  }, 90_000);

  it('SIGTERM drains a worker: its running job completes, no new one starts; a second signal requeues at once', async () => {
    const queue = freshQueue();
    const worker = startWorker(queue);
    // Slow: 12 GETs one at a time through the proxy.
    const slow = { ...request(7, proxy.url, 'drain'), end: E0 + 8 };
    const { id } = await submitRecording(slow, { connection: connection(), queue });
    await until('the job running', () => worker.stderr().includes(`${id} started`));
    worker.child.kill('SIGTERM');
    await until('the drain', () => worker.stderr().includes('draining'));
    const late = await submitRecording(request(8, proxy.url, 'drain'), { connection: connection(), queue });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await recordingStatus(id, { connection: connection(), queue })).toMatchObject({
      state: 'completed',
      attemptsMade: 1,
    });
    expect(await recordingStatus(late.id, { connection: connection(), queue })).toMatchObject({
      state: 'waiting',
    });

    // Two signals: the running job goes back to the queue (not failed, no attempt used) and the worker ends.
    const second = startWorker(queue);
    await until('the late job running', () => second.stderr().includes(`${late.id} started`));
    second.child.kill('SIGTERM');
    await until('the drain', () => second.stderr().includes('draining'));
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const requeued = await recordingStatus(late.id, { connection: connection(), queue });
    expect(requeued).toMatchObject({ state: 'waiting', attemptsMade: 0 });
    expect(await readdir(join(dir.path, 'drain'))).toEqual([`rec-07.ts`]);
  }, 60_000);

  it('recorder batch --index runs that line of the job file (the index from the environment by default)', async () => {
    const file = join(dir.path, 'jobs.jsonl');
    const lines = [0, 1, 2].map((i) => JSON.stringify(request(i, s3.endpoint, 'batch')));
    await writeFile(file, `${lines.join('\n')}\n`);
    const run = await runCli(['batch', '--jobs', file, '--index', '2', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      output: request(2, s3.endpoint, 'batch').output,
    });
    expect(await readdir(join(dir.path, 'batch'))).toEqual(['rec-02.ts']);
    expect(
      (await readFile(join(dir.path, 'batch', 'rec-02.ts'))).equals(
        references.get('rec-02') ?? Buffer.alloc(0),
      ),
    ).toBe(true);

    const fromEnv = await runCli(['batch', '--jobs', file], { AWS_BATCH_JOB_ARRAY_INDEX: '1' });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain(`wrote ${request(1, s3.endpoint, 'batch').output}`);
    expect((await readdir(join(dir.path, 'batch'))).sort()).toEqual(['rec-01.ts', 'rec-02.ts']);

    await writeFile(file, `${lines[0]}\n{"source": {"type": "s3"}}\n`);
    const bad = await runCli(['batch', '--jobs', file, '--index', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      new RegExp(
        `^recorder: ${file}:2: not a recording request: source\\.bucket: .*\\[BAD_ARGUMENTS\\]$`,
        'm',
      ),
    );
  }, 60_000);
});
