/**
 * The recorder against its physical floor (issue 12), in one run, on a local
 * S3 server (s3rver) holding the windows' segments among other keys:
 *
 * - 5 minutes of 2-s 1280x720 H.264 + 48 kHz stereo WAV segments (the
 *   window [START, END) of gen-segments.sh's 600 s, 2,000 other keys beside);
 * - 1 hour of small 10-s segments (160x90 H.264 at 5 fps + 8 kHz mono WAV);
 * - 8 hours of the same (time and peak RSS only; `--skip-8h` skips it).
 *
 * For each of the first two: the recorder as users install it (the built
 * CLI on plain Node, `pnpm build` first; wall time and peak RSS from
 * /usr/bin/time), then
 *
 * - D: raw parallel GETs of the window's objects (16 at a time, as the
 *   recorder, bodies written to files);
 * - E: the AAC encode of the window's audio (ffmpeg's native encoder at the
 *   recorder's bitrate) split over every core: one ffmpeg per core on its
 *   slice of the joined WAV (joined beforehand, not timed), all at once;
 * - F = max(D, E), and recorder / F.
 *
 * With the legacy pipeline too (not with `--skip-legacy`): the legacy replica
 * (shared/legacy/input_rec.sh, always 60 s of buffer) and the recorder with
 * `--pad 60`.
 *
 *   pnpm bench recorder [--skip-legacy] [--skip-8h]
 *
 * The legacy pipeline needs the AWS CLI at /usr/bin/aws (Debian:
 * `apt-get install -y awscli`); ffmpeg is found as rec finds it (PATH, else
 * the npm-shipped build) and put first on PATH. The datasets are made once
 * and cached under `<tmpdir>/rec-bench/recorder`. It ends with
 *
 *   recorder: ... ratio=<recorder / F on the 5-minute window>
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { joinWav, readWavInfo, resolveFfmpeg } from '@rec/mux';
import { createS3Client } from '@rec/s3-segments';
import { startS3Server, testAudioInput, testVideoEncoder, testVideoInput } from '@rec/test-support';
import PQueue from 'p-queue';
import { parseProcStat } from './procStat.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const legacyDir = process.env.REC_LEGACY_DIR ?? join(root, '../shared/legacy');
const work = join(tmpdir(), 'rec-bench', 'recorder');
const data = join(work, 'data');
const longData = join(work, 'data-long');
const skipLegacy = process.argv.includes('--skip-legacy');
const skip8h = process.argv.includes('--skip-8h');
/** `--cpu-prof DIR`: each recorder run writes a V8 CPU profile there (node --cpu-prof), named by run. */
const cpuProfAt = process.argv.indexOf('--cpu-prof');
const cpuProfDir = cpuProfAt >= 0 ? process.argv[cpuProfAt + 1] : undefined;
const START = 1_700_000_150;
const END = 1_700_000_450;
const PAD = 60; // the legacy script's BUFFER
const prefix = 'recordings/cam01';
/** The small segments: 10 s each from LONG_E0, 8 h and 2 minutes of them. */
const longPrefix = 'recordings/cam09';
const LONG_E0 = 1_700_100_000;
const LONG_SEG = 10;
const LONG_SECONDS = 8 * 3600 + 120;
const bucket = 'recordings-bucket';
const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function timed(
  command: string,
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    anyExitCode?: boolean;
    onSpawn?: (pid: number) => void;
  } = {},
) {
  return new Promise<{ seconds: number; stdout: string }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 || options.anyExitCode
        ? resolve({ seconds: (performance.now() - started) / 1000, stdout })
        : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/**
 * CPU seconds (user + system) the s3rver child of this process has used so
 * far: the server shares the cores with the recorder, so its CPU is part of
 * what a download costs.
 */
async function serverCpuSeconds(): Promise<number> {
  let total = 0;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
    if (stat?.ppid !== process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('s3rverProcess')) total += stat.cpu;
  }
  return total;
}

/** The peak RSS (VmHWM, MB) of the process `command` under /usr/bin/time `parent`, sampled every 100 ms. */
function sampleOwnRss(parent: number): { stop(): number } {
  let peak = Number.NaN;
  const sample = async () => {
    const children = await readFile(`/proc/${parent}/task/${parent}/children`, 'utf8').catch(() => '');
    const pid = children.trim().split(' ')[0];
    if (!pid) return;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    if (Number.isFinite(kb)) peak = Number.isNaN(peak) ? kb / 1024 : Math.max(peak, kb / 1024);
  };
  const timer = setInterval(() => void sample(), 100);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * `command` under /usr/bin/time: wall seconds, CPU seconds (with its waited
 * children), peak RSS in MB of the process tree (the largest of it and its
 * children: /usr/bin/time's), and of the process itself (VmHWM sampled).
 */
async function measured(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  if (!timeBinary) {
    const run = await timed(command, args, options);
    return { ...run, cpu: NaN, rssMb: NaN, ownRssMb: NaN };
  }
  const report = join(tmpdir(), `rec-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let sampler: { stop(): number } | undefined;
  const run = await timed(timeBinary, ['-f', '%M %U %S', '-o', report, command, ...args], {
    ...options,
    onSpawn: (pid) => {
      sampler = sampleOwnRss(pid);
    },
  });
  const ownRssMb = sampler?.stop() ?? Number.NaN;
  const [rss, user, sys] =
    (await readFile(report, 'utf8')).trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  await rm(report, { force: true });
  return { ...run, cpu: (user ?? NaN) + (sys ?? NaN), rssMb: (rss ?? NaN) / 1024, ownRssMb };
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

if (!skipLegacy && !existsSync('/usr/bin/aws')) {
  console.error(
    'bench/recorder: /usr/bin/aws is missing (apt-get install -y awscli); the legacy pipeline needs it',
  );
  process.exit(2);
}
// The legacy script and gen-segments.sh call `ffmpeg` from PATH: give them the
// one rec resolves (PATH first, else the npm-shipped build).
const ffmpeg = resolveFfmpeg().path;
process.env.PATH = `${dirname(ffmpeg)}${delimiter}${process.env.PATH ?? ''}`;
console.log(`bench/recorder: ffmpeg ${ffmpeg}, ${availableParallelism()} cores`);

if (!existsSync(join(data, prefix, '00/video'))) {
  await mkdir(data, { recursive: true });
  console.log('bench/recorder: generating 600 s of 2-s segments (once, cached in', data, ')');
  await timed('bash', [
    join(legacyDir, 'gen-segments.sh'),
    data,
    '1700000000',
    '600',
    '2',
    'cam01',
    'recordings',
    '25',
  ]);
}

/**
 * 8 h of small segments, as gen-segments.sh makes its own (ffmpeg's
 * segment muxer, a keyframe and one audio frame boundary at each segment
 * start) at 160x90, 5 fps, 8 kHz mono.
 */
async function generateLong() {
  const videoDir = join(longData, longPrefix, '00/video');
  const audioDir = join(longData, longPrefix, '00/audio');
  if (existsSync(audioDir)) return;
  console.log(`bench/recorder: generating ${LONG_SECONDS} s of ${LONG_SEG}-s small segments (once)`);
  const temp = join(longData, '.gen');
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  const fps = 5;
  const gop = fps * LONG_SEG;
  // Two commands, one per input (the test-encode helpers' `-t` is an output
  // option); the same bytes as the one command with two outputs they replaced.
  const ffmpegArgs = ['-hide_banner', '-loglevel', 'warning', '-y'];
  const segments = ['-f', 'segment', '-segment_time', `${LONG_SEG}`, '-reset_timestamps', '1'];
  await Promise.all([
    timed('ffmpeg', [
      ...ffmpegArgs,
      ...testVideoInput({ seconds: LONG_SECONDS, size: '160x90', fps }),
      ...testVideoEncoder({ fps, gop, repeatHeaders: true }),
      ...['-force_key_frames', `expr:gte(t,n_forced*${LONG_SEG})`],
      ...[...segments, '-segment_format', 'h264', join(temp, 'v%06d.h264')],
    ]),
    timed('ffmpeg', [
      ...ffmpegArgs,
      ...testAudioInput({
        seconds: LONG_SECONDS,
        sampleRate: 8000,
        beepFactor: 4,
        samplesPerFrame: 8000 / fps,
      }),
      ...['-ac', '1', '-c:a', 'pcm_s16le'],
      ...[...segments, '-segment_format', 'wav', join(temp, 'a%06d.wav')],
    ]),
  ]);
  await mkdir(videoDir, { recursive: true });
  await mkdir(join(temp, 'audio'), { recursive: true });
  for (const name of (await readdir(temp)).sort()) {
    const match = /^([va])(\d+)\.(h264|wav)$/.exec(name);
    if (!match) continue;
    const epoch = LONG_E0 + Number(match[2]) * LONG_SEG;
    await rename(
      join(temp, name),
      join(match[1] === 'v' ? videoDir : join(temp, 'audio'), `${epoch}.${match[3]}`),
    );
  }
  await mkdir(dirname(audioDir), { recursive: true });
  await rename(join(temp, 'audio'), audioDir); // last: its presence means the set is complete
  await rm(temp, { recursive: true, force: true });
}
await generateLong();

const s3 = await startS3Server();
try {
  await s3.createBucket(bucket);
  const objects: [string, Uint8Array | string][] = [];
  for await (const file of walk(join(data, 'recordings')))
    objects.push([relative(data, file), await readFile(file)]);
  // 2,000 other keys in the same prefix tree (the legacy lists all of them).
  for (let i = 0; i < 1000; i++) objects.push([`${prefix}/00/thumbs/${1_700_000_000 + i}.jpg`, 'x']);
  for (let i = 0; i < 1000; i++) objects.push([`recordings/cam02/00/video/${1_700_000_000 + i}.h264`, 'x']);
  await s3.putObjects(bucket, objects, 32);
  // The small segments, a batch at a time (half a gigabyte of them).
  const longKeys: string[] = [];
  const longFiles: string[] = [];
  for await (const file of walk(join(longData, longPrefix))) longFiles.push(file);
  for (let at = 0; at < longFiles.length; at += 256) {
    const batch = await Promise.all(
      longFiles.slice(at, at + 256).map(async (file) => {
        const key = relative(longData, file);
        longKeys.push(key);
        return [key, await readFile(file)] as [string, Uint8Array];
      }),
    );
    await s3.putObjects(bucket, batch, 32);
  }
  console.log(
    `bench/recorder: ${objects.length} + ${longKeys.length} objects in s3://${bucket} at ${s3.endpoint}`,
  );
  const env = { ...process.env, ...credentials, AWS_EC2_METADATA_DISABLED: 'true' };
  const client = createS3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });

  interface Summary {
    window: { start: number; end: number };
    durationSeconds: number;
    segments: { video: number; audio: number };
    timings: Record<string, number>;
  }

  /** The built CLI on one window: wall seconds, peak RSS (MB), its summary and the output's hash. */
  async function runRecorder(
    name: string,
    camera: string,
    start: number,
    end: number,
    pad: number,
    extra: string[] = [],
  ) {
    const dir = join(work, `ours-${name}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const output = join(dir, 'recording.mp4');
    const profile = cpuProfDir
      ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', `${name}.cpuprofile`]
      : [];
    const cli = [
      ...profile,
      join(root, 'apps/recorder/dist/cli.js'),
      ...['--bucket', bucket, '--prefix', camera, '--endpoint', s3.endpoint, '--force-path-style'],
      ...['--start', String(start), '--end', String(end), '--pad', String(pad), '--no-resume'],
      ...['--temp-dir', join(dir, 'tmp'), '--json', '-o', output],
      ...extra,
    ];
    const serverBefore = await serverCpuSeconds();
    const run = await measured(process.execPath, cli, { env });
    const serverCpu = (await serverCpuSeconds()) - serverBefore;
    const { rssMb, cpu, ownRssMb } = run;
    const summary = JSON.parse(run.stdout) as Summary;
    const steps = Object.entries(summary.timings)
      .map(([step, seconds]) => `${step} ${seconds.toFixed(2)}`)
      .join(', ');
    const hash = await sha256(output);
    console.log(
      `bench/recorder: ${name} recorder: ${run.seconds.toFixed(2)} s for ${summary.durationSeconds.toFixed(1)} s ` +
        `(${summary.segments.video}+${summary.segments.audio} segments; ${steps}), CPU ${cpu.toFixed(2)} s ` +
        `(+ s3rver ${serverCpu.toFixed(2)} s), peak RSS ${rssMb.toFixed(0)} MB (node ${ownRssMb.toFixed(0)} MB), sha256 ${hash}`,
    );
    return { seconds: run.seconds, cpu: cpu + serverCpu, rssMb, ownRssMb, summary, dir, output, hash };
  }

  /** D: parallel GETs of the window's objects, 16 at a time, written to files. */
  async function measureD(dir: string, keys: string[]) {
    const floorDir = join(dir, 'gets');
    await mkdir(floorDir, { recursive: true });
    const serverBefore = await serverCpuSeconds();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const queue = new PQueue({ concurrency: 16 });
    await queue.addAll(
      keys.map((key, i) => async () => {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        await writeFile(join(floorDir, `${i}`), await response.Body!.transformToByteArray());
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpuBefore);
    const cpu = (user + system) / 1e6 + (await serverCpuSeconds()) - serverBefore;
    await rm(floorDir, { recursive: true, force: true });
    return { seconds, cpu };
  }

  /**
   * E: the window's audio joined into one WAV (not timed), then one ffmpeg
   * per core, each encoding its slice (`-ss`/`-t` on a PCM WAV are sample
   * exact) with the recorder's encoder and bitrate (128k up to stereo), all
   * at once.
   */
  async function measureE(dir: string, wavFiles: string[], window: { start: number; end: number }) {
    const wav = join(dir, 'audio.wav');
    await joinWav({
      chunks: wavFiles.map((file) => ({ file, startTime: Number(basename(file, '.wav')) })),
      window,
      output: wav,
    });
    const info = await readWavInfo(wav);
    const bitrate = info.format.channels <= 2 ? '128k' : `${64 * info.format.channels}k`;
    const cores = availableParallelism();
    const slice = info.durationSeconds / cores;
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: cores }, (_, k) =>
        measured('ffmpeg', [
          ...['-hide_banner', '-nostdin', '-y', '-ss', (k * slice).toFixed(6), '-t', slice.toFixed(6)],
          ...['-i', wav, '-c:a', 'aac', '-b:a', bitrate, '-f', 'adts', join(dir, `e${k}.aac`)],
        ]),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    await rm(wav, { force: true });
    return { seconds, cpu: runs.reduce((sum, run) => sum + run.cpu, 0) };
  }

  /** The recorder on one window, then D and E on what it fetched. */
  async function measureWindow(options: {
    name: string;
    camera: string;
    start: number;
    end: number;
    segment: number;
    dataDir: string;
    keys: string[];
    floor: boolean;
  }) {
    const { name, camera, start, end, segment } = options;
    const ours = await runRecorder(name, camera, start, end, 0);
    if (!options.floor) return { ...ours, d: NaN, e: NaN, f: NaN, before: NaN, floorCpu: NaN };
    // The recorder as it was before issue 12, by its options: a refusal threshold makes it plan the
    // whole audio before encoding it (after the last download), --verify reads the MP4 back with ffprobe.
    const before = await runRecorder(`${name}-before`, camera, start, end, 0, [
      ...['--max-hole-fraction', '1', '--verify'],
    ]);
    await rm(before.dir, { recursive: true, force: true });
    if (before.hash !== ours.hash) throw new Error(`${name}: the two recorder runs wrote different bytes`);
    // The window's segments: the one covering `start` and every one starting before `end`.
    const inWindow = options.keys.filter((key) => {
      const match = /^(.*)\/00\/(video|audio)\/(\d+)\.(h264|wav)$/.exec(key);
      if (!match || match[1] !== camera) return false;
      const epoch = Number(match[3]);
      return epoch > start - segment && epoch < end;
    });
    const d = await measureD(ours.dir, inWindow);
    const wavs = inWindow.filter((key) => key.endsWith('.wav')).map((key) => join(options.dataDir, key));
    const e = await measureE(ours.dir, wavs, { start, end });
    const f = Math.max(d.seconds, e.seconds);
    // On cores shared by the downloads and the encoders, their CPU adds up: the floor of a machine
    // with these cores all to itself is at least (D's CPU + E's CPU) / cores.
    const cores = availableParallelism();
    const floorCpu = (d.cpu + e.cpu) / cores;
    console.log(
      `bench/recorder: ${name} floor: D ${d.seconds.toFixed(2)} s (${inWindow.length} GETs; CPU ${d.cpu.toFixed(2)} s with s3rver's), ` +
        `E ${e.seconds.toFixed(2)} s (AAC on ${cores} cores; CPU ${e.cpu.toFixed(2)} s), F ${f.toFixed(2)} s; ` +
        `recorder / F = ${(ours.seconds / f).toFixed(2)} (as before issue 12: ${(before.seconds / f).toFixed(2)}); ` +
        `CPU: recorder ${ours.cpu.toFixed(2)} s (before ${before.cpu.toFixed(2)} s) against D + E ${(d.cpu + e.cpu).toFixed(2)} s, ` +
        `(D + E) / cores = ${floorCpu.toFixed(2)} s`,
    );
    await rm(ours.dir, { recursive: true, force: true });
    return { ...ours, d: d.seconds, e: e.seconds, f, before: before.seconds, floorCpu };
  }

  console.log('bench/recorder: building the packages (pnpm build)...');
  // Under `pnpm bench`, npm_execpath is pnpm's own script.
  const pnpm = process.env.npm_execpath;
  await (pnpm && /\.c?js$/.test(pnpm)
    ? timed(process.execPath, [pnpm, 'build'], { cwd: root })
    : timed('npx', ['-y', 'pnpm@10.34.9', 'build'], { cwd: root }));

  const shortKeys = objects.map(([key]) => key);
  const five = await measureWindow({
    name: '5min',
    camera: prefix,
    start: START,
    end: END,
    segment: 2,
    dataDir: data,
    keys: shortKeys,
    floor: true,
  });
  const hour = await measureWindow({
    name: '1h',
    camera: longPrefix,
    start: LONG_E0 + 60,
    end: LONG_E0 + 60 + 3600,
    segment: LONG_SEG,
    dataDir: longData,
    keys: longKeys,
    floor: true,
  });
  const eight = skip8h
    ? undefined
    : await measureWindow({
        name: '8h',
        camera: longPrefix,
        start: LONG_E0 + 60,
        end: LONG_E0 + 60 + 8 * 3600,
        segment: LONG_SEG,
        dataDir: longData,
        keys: longKeys,
        floor: false,
      });

  let legacy = Number.NaN;
  let padded: Awaited<ReturnType<typeof runRecorder>> | undefined;
  if (!skipLegacy) {
    padded = await runRecorder('5min-pad60', prefix, START, END, PAD);
    const legacyCwd = join(work, 'legacy');
    await rm(legacyCwd, { recursive: true, force: true });
    await mkdir(legacyCwd, { recursive: true });
    console.log('bench/recorder: running the legacy pipeline (several minutes)...');
    // input_rec.sh ends with `[ -n "$TIMING_LOG" ] && ...`, so it exits 1
    // after a good run: judge it by the recording it leaves instead.
    legacy = (
      await timed('bash', [join(legacyDir, 'input_rec.sh')], {
        cwd: legacyCwd,
        anyExitCode: true,
        env: {
          ...env,
          S3_ENDPOINT: s3.endpoint,
          S3_BUCKET: bucket,
          S3_BASE_PATH: prefix,
          START_EPOCH: String(START),
          END_EPOCH: String(END),
          CONCURRENCY: '8',
        },
      })
    ).seconds;
    const made = [];
    for await (const file of walk(legacyCwd)) if (/recording_\d+_\d+\.mp4$/.test(file)) made.push(file);
    if (made.length === 0) throw new Error(`the legacy pipeline wrote no recording under ${legacyCwd}`);
    console.log(`bench/recorder: legacy ${legacy.toFixed(2)} s (${made[0]})`);
  }
  const s = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(2)}s`);
  console.log(
    `recorder: ours=${s(five.seconds)} before=${s(five.before)} D=${s(five.d)} E=${s(five.e)} F=${s(five.f)} ` +
      `hour=${s(hour.seconds)} hour_before=${s(hour.before)} hour_D=${s(hour.d)} hour_E=${s(hour.e)} hour_F=${s(hour.f)} ` +
      `hour_ratio=${(hour.seconds / hour.f).toFixed(2)} cpu_floor=${s(five.floorCpu)} hour_cpu_floor=${s(hour.floorCpu)} ` +
      `cpu_s=${five.cpu.toFixed(1)}/${hour.cpu.toFixed(1)} h8=${s(eight?.seconds ?? NaN)} ` +
      `rss_mb=${five.rssMb.toFixed(0)}/${hour.rssMb.toFixed(0)}/${eight ? eight.rssMb.toFixed(0) : 'n/a'} ` +
      `node_rss_mb=${five.ownRssMb.toFixed(0)}/${hour.ownRssMb.toFixed(0)}/${eight ? eight.ownRssMb.toFixed(0) : 'n/a'} ` +
      `legacy=${s(legacy)} speedup=${(legacy / five.seconds).toFixed(1)}x pad60=${s(padded?.seconds ?? NaN)} ` +
      `ratio=${(five.seconds / five.f).toFixed(2)}`,
  );
} finally {
  await s3.stop();
}
