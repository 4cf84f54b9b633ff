/**
 * The recorder under faults and kills, at scale (issue 9, "a reliability
 * suite": 100 seeded fault runs, 50 random kill points). A long run, never
 * part of the test suite; the suite runs the same cases a few times each.
 *
 *   pnpm build && pnpm bench recorder-reliability [--fault-runs 100] [--kills 50] [--seed S]
 *
 * One local S3 server (s3rver) holds 60 s of 2-s H.264 + WAV segments; the
 * recorder runs as users install it (the built CLI on plain Node). First a
 * clean run: its output is the reference bytes and its wall time T.
 *
 * - Fault runs: the recorder reads through the test harness's proxy, which
 *   gives each request a fault drawn from the run's seed with a chance of
 *   11% (5% `503 SlowDown`, 2% resets, 2% truncated bodies, 2% stalled
 *   bodies: the mix of issue 9), at most 2 faults per request. Each run must
 *   exit 0 with the reference bytes, nothing beside the output and an
 *   empty temp dir.
 * - Kill points: the recorder started through a slower proxy (every GET
 *   delayed 40 ms, so the download is long enough to land in), killed with
 *   SIGKILL at a time drawn from [0, 1.2 T'] (T' its unkilled time through
 *   that proxy), then the same command run to the end: exit 0, the
 *   reference bytes, nothing left over. The stage the kill landed in (the
 *   last progress line) is counted.
 *
 * Prints each failure, then one line
 * `recorder-reliability: fault_runs=... identical=... kills=... identical=... ratio=<failures / runs>`
 * (no reference tool: the ratio is the share of runs that lost or changed
 * data, which must be 0).
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Fault,
  makeAudioSegments,
  makeVideoSegments,
  startHttpServer,
  startS3Server,
} from '@rec/test-support';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'apps/recorder/dist/cli.js');
const work = join(tmpdir(), 'rec-bench', 'recorder-reliability');
const E0 = 1_700_000_000;
const COUNT = 30;
const bucket = 'cams';
const prefix = 'recordings/cam01';
const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

const faultRuns = argument('fault-runs', 100);
const kills = argument('kills', 50);
const seed = argument('seed', (Math.random() * 2 ** 31) | 0);

/** mulberry32: the kill times drawn from the seed. */
function random(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  stderr: string;
}

/** The recorder CLI on `endpoint`; `killAfter` ms: SIGKILL then (if it is still running). */
function record(endpoint: string, output: string, temp: string, killAfter?: number): Promise<Run> {
  const args = [
    cli,
    ...['--bucket', bucket, '--prefix', prefix, '--endpoint', endpoint, '--force-path-style'],
    ...['--start', String(E0 + 1.5), '--end', String(E0 + 2 * COUNT - 0.5)],
    ...['-o', output, '--temp-dir', temp, '--concurrency', '4'],
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...credentials, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    const timer = killAfter === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfter);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, seconds: (performance.now() - started) / 1000, stderr });
    });
  });
}

/** What a finished run must leave: the reference bytes, nothing beside them, an empty temp dir. */
async function verify(
  run: Run,
  output: string,
  temp: string,
  reference: Buffer,
): Promise<string | undefined> {
  if (run.code !== 0) return `exit ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  const bytes = await readFile(output).catch(() => undefined);
  if (bytes === undefined) return 'no output file';
  if (!bytes.equals(reference))
    return `output differs from the clean run (${bytes.length} vs ${reference.length} bytes)`;
  const beside = (await readdir(dirname(output))).filter((name) => name !== basename(output));
  if (beside.length > 0) return `left beside the output: ${beside.join(', ')}`;
  const left = await readdir(temp).catch(() => []);
  if (left.length > 0) return `left in the temp dir: ${left.join(', ')}`;
  return undefined;
}

/** The stage a killed run was in: the phase of the last progress line it printed (`50% download 1.2 MB / 3.4 MB`). */
function stageOf(stderr: string): string {
  const last =
    stderr
      .trim()
      .split(/[\r\n]+/)
      .at(-1)
      ?.trim() ?? '';
  const phase = last.replace(/^\d+% /, '').split(' ')[0];
  return phase === undefined || phase === '' ? 'starting' : phase;
}

const dataDir = join(work, 'data');
await rm(join(work, 'runs'), { recursive: true, force: true });
await mkdir(dataDir, { recursive: true });
if ((await readdir(dataDir)).length === 0) {
  console.log(`recorder-reliability: making ${COUNT} 2-s video and audio segments (cached in ${dataDir})`);
  await makeVideoSegments({ dir: dataDir, camera: prefix, startEpoch: E0, count: COUNT, bframes: 2 });
  await makeAudioSegments({ dir: dataDir, camera: prefix, startEpoch: E0, count: COUNT });
}
const s3 = await startS3Server();
const failures: string[] = [];
try {
  await s3.createBucket(bucket);
  const objects: [string, Uint8Array][] = [];
  for await (const file of walk(dataDir)) objects.push([relative(dataDir, file), await readFile(file)]);
  await s3.putObjects(bucket, objects);

  const runDir = (name: string) => join(work, 'runs', name);
  const clean = await record(
    s3.endpoint,
    join(runDir('clean'), 'out', 'recording.mp4'),
    join(runDir('clean'), 'tmp'),
  );
  if (clean.code !== 0) throw new Error(`the clean run failed: ${clean.stderr}`);
  const reference = await readFile(join(runDir('clean'), 'out', 'recording.mp4'));
  console.log(
    `recorder-reliability: seed=${seed}; clean run ${clean.seconds.toFixed(2)} s, ${reference.length} bytes; ` +
      `${faultRuns} fault runs, ${kills} kill points`,
  );

  // Fault runs: the mix at 11%, seeded per run.
  const kinds: Fault[] = [
    ...Array.from({ length: 5 }, (): Fault => ({ kind: 'status', status: 503, code: 'SlowDown' })),
    { kind: 'reset' },
    { kind: 'reset' },
    { kind: 'truncate' },
    { kind: 'truncate' },
    { kind: 'stall' },
    { kind: 'stall' },
  ];
  let faultIdentical = 0;
  let faultsInjected = 0;
  let faultSeconds = 0;
  for (let i = 0; i < faultRuns; i++) {
    const proxy = await startHttpServer({
      upstream: s3.endpoint,
      seeded: { seed: seed + i, probability: 0.11, kinds },
    });
    const dir = runDir(`fault-${i}`);
    try {
      const run = await record(proxy.url, join(dir, 'out', 'recording.mp4'), join(dir, 'tmp'));
      faultSeconds += run.seconds;
      faultsInjected += proxy.requests.filter((r) => r.fault !== undefined).length;
      const problem = await verify(run, join(dir, 'out', 'recording.mp4'), join(dir, 'tmp'), reference);
      if (problem === undefined) faultIdentical++;
      else failures.push(`fault run ${i} (seed ${seed + i}): ${problem}`);
    } finally {
      await proxy.stop();
      await rm(dir, { recursive: true, force: true });
    }
    if ((i + 1) % 10 === 0) console.log(`  fault runs: ${i + 1}/${faultRuns}, ${faultIdentical} identical`);
  }

  // Kill points, through a proxy slow enough for a kill to land in each stage.
  const slow = await startHttpServer({
    upstream: s3.endpoint,
    faults: [{ path: /\/(video|audio)\//, method: 'GET', fault: { kind: 'delay', ms: 40 } }],
  });
  const stages: Record<string, number> = {};
  let killIdentical = 0;
  try {
    const timedDir = runDir('slow');
    const unkilled = await record(slow.url, join(timedDir, 'out', 'recording.mp4'), join(timedDir, 'tmp'));
    if (unkilled.code !== 0) throw new Error(`the run through the slow proxy failed: ${unkilled.stderr}`);
    await rm(timedDir, { recursive: true, force: true });
    const draw = random(seed);
    for (let i = 0; i < kills; i++) {
      const dir = runDir(`kill-${i}`);
      const output = join(dir, 'out', 'recording.mp4');
      const temp = join(dir, 'tmp');
      const at = Math.round(draw() * 1.2 * unkilled.seconds * 1000);
      try {
        const killed = await record(slow.url, output, temp, at);
        const stage = killed.signal === 'SIGKILL' ? stageOf(killed.stderr) : 'after the end';
        stages[stage] = (stages[stage] ?? 0) + 1;
        const rerun = await record(slow.url, output, temp);
        const problem = await verify(rerun, output, temp, reference);
        if (problem === undefined) killIdentical++;
        else failures.push(`kill ${i} at ${at} ms (${stage}): ${problem}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      if ((i + 1) % 10 === 0) console.log(`  kill points: ${i + 1}/${kills}, ${killIdentical} identical`);
    }
  } finally {
    await slow.stop();
  }

  for (const failure of failures) console.log(`  FAILURE ${failure}`);
  const stageList = Object.entries(stages)
    .sort((a, b) => b[1] - a[1])
    .map(([stage, n]) => `${stage} ${n}`)
    .join(', ');
  console.log(`  kills landed in: ${stageList || '(none)'}`);
  const runs = faultRuns + kills;
  console.log(
    `recorder-reliability: fault_runs=${faultRuns} identical=${faultIdentical} faults_injected=${faultsInjected} ` +
      `mean_fault_run_s=${(faultSeconds / Math.max(1, faultRuns)).toFixed(2)} kills=${kills} identical=${killIdentical} ` +
      `seed=${seed} ratio=${(failures.length / Math.max(1, runs)).toFixed(4)}`,
  );
  if (failures.length > 0) process.exitCode = 1;
} finally {
  await s3.stop();
}
