/**
 * recorder vs the legacy shell pipeline (shared/legacy/input_rec.sh) on the
 * same 5-minute window of 2-s segments in a local S3 server, plus the floor:
 * raw parallel GETs of the same objects + one ffmpeg AAC merge.
 *
 * The recorder runs as users install it (the built CLI, `pnpm build` first)
 * twice: on the window as asked (default pad 0: it fetches the 151 + 151
 * segments covering [start, end) and writes exactly that), and with
 * `--pad 60`, the legacy's buffer (422 segments, a 420-s recording). The
 * legacy always adds its 60 s on both sides.
 *
 *   pnpm bench recorder [--skip-legacy]
 *
 * Needs what the legacy pipeline needs: the AWS CLI at /usr/bin/aws
 * (Debian: `apt-get install -y awscli`); ffmpeg is found as rec finds it
 * (PATH, else the npm-shipped build) and put first on PATH. The dataset
 * (gen-segments.sh: 600 s of 1280x720 H.264 + 48 kHz stereo WAV) is cached
 * under the OS temp dir.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { joinWav, resolveFfmpeg } from '@rec/mux';
import { createS3Client } from '@rec/s3-segments';
import { startS3Server } from '@rec/test-support';
import PQueue from 'p-queue';

const root = fileURLToPath(new URL('..', import.meta.url));
const legacyDir = process.env.REC_LEGACY_DIR ?? join(root, '../shared/legacy');
const work = join(tmpdir(), 'rec-bench', 'recorder');
const data = join(work, 'data');
const skipLegacy = process.argv.includes('--skip-legacy');
const START = 1_700_000_150;
const END = 1_700_000_450;
const PAD = 60; // the legacy script's BUFFER
const prefix = 'recordings/cam01';
const bucket = 'recordings-bucket';
const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

function timed(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; anyExitCode?: boolean } = {},
) {
  return new Promise<{ seconds: number; stdout: string }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
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
console.log(`bench/recorder: ffmpeg ${ffmpeg}`);

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
  console.log(`bench/recorder: ${objects.length} objects in s3://${bucket} at ${s3.endpoint}`);
  const env = { ...process.env, ...credentials, AWS_EC2_METADATA_DISABLED: 'true' };

  const client = createS3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });

  /**
   * Ours: the recorder as installed from npm (the built CLI on plain Node),
   * then its floor: parallel GETs of the objects it fetched (the 2-s
   * segments covering [START - pad, END + pad)) and one ffmpeg process
   * copying its video and encoding its audio to AAC.
   */
  async function runOurs(pad: number) {
    const dir = join(work, `ours-pad${pad}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const output = join(dir, 'recording.mp4');
    const run = await timed(
      process.execPath,
      [
        join(root, 'apps/recorder/dist/cli.js'),
        ...['--bucket', bucket, '--prefix', prefix, '--endpoint', s3.endpoint, '--force-path-style'],
        ...['--start', String(START), '--end', String(END), '--pad', String(pad), '--no-resume'],
        ...['--temp-dir', join(dir, 'tmp'), '--keep-temp', '--json', '-o', output],
      ],
      { env },
    );
    const summary = JSON.parse(run.stdout) as {
      window: { start: number; end: number };
      durationSeconds: number;
      segments: { video: number; audio: number };
      timings: Record<string, number>;
    };
    const steps = Object.entries(summary.timings)
      .map(([step, seconds]) => `${step} ${seconds.toFixed(2)}`)
      .join(', ');
    console.log(
      `bench/recorder: recorder --pad ${pad}: ${run.seconds.toFixed(2)} s for ${summary.durationSeconds.toFixed(1)} s ` +
        `(${summary.segments.video}+${summary.segments.audio} segments; ${steps})`,
    );

    const keys = objects
      .map(([key]) => key)
      .filter((key) => /\/00\/(video|audio)\/\d+\.(h264|wav)$/.test(key) && key.startsWith(prefix))
      .filter((key) => {
        const epoch = Number(/(\d+)\.\w+$/.exec(key)?.[1]);
        return epoch > START - pad - 2 && epoch < END + pad;
      });
    const floorDir = join(dir, 'floor');
    await mkdir(floorDir, { recursive: true });
    const getStarted = performance.now();
    const queue = new PQueue({ concurrency: 16 });
    await queue.addAll(
      keys.map((key, i) => async () => {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        await writeFile(join(floorDir, `${i}`), await response.Body!.transformToByteArray());
      }),
    );
    const gets = (performance.now() - getStarted) / 1000;
    // The floor's ffmpeg gets the window's audio as one WAV (joined here, not timed).
    // The recorder kept its job directory (`--keep-temp`): <temp-dir>/rec-recorder-<job>/segments/audio/...
    const jobs = (await readdir(join(dir, 'tmp'))).filter((name) => name.startsWith('rec-recorder-'));
    const audioDir = join(dir, 'tmp', jobs[0] ?? '', 'segments/audio');
    const wav = join(floorDir, 'audio.wav');
    await joinWav({
      chunks: (await readdir(audioDir, { recursive: true }))
        .filter((name) => name.endsWith('.wav'))
        .map((name) => ({ file: join(audioDir, name), startTime: Number(basename(name, '.wav')) })),
      window: summary.window,
      output: wav,
    });
    const merge = await timed('ffmpeg', [
      ...['-hide_banner', '-nostdin', '-y', '-i', output, '-i', wav],
      ...['-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'aac', join(floorDir, 'floor.mp4')],
    ]);
    const floor = gets + merge.seconds;
    console.log(
      `bench/recorder: floor --pad ${pad}: ${floor.toFixed(2)} s (${keys.length} GETs ${gets.toFixed(2)} s + one ffmpeg AAC merge ${merge.seconds.toFixed(2)} s)`,
    );
    return { seconds: run.seconds, floor };
  }

  console.log('bench/recorder: building the packages (pnpm build)...');
  // Under `pnpm bench`, npm_execpath is pnpm's own script.
  const pnpm = process.env.npm_execpath;
  await (pnpm && /\.c?js$/.test(pnpm)
    ? timed(process.execPath, [pnpm, 'build'], { cwd: root })
    : timed('npx', ['-y', 'pnpm@10.34.9', 'build'], { cwd: root }));
  // The job as asked ([START, END), the default pad 0), then with the legacy's 60-s buffer.
  const ours = await runOurs(0);
  const padded = await runOurs(PAD);

  let legacy = Number.NaN;
  if (!skipLegacy) {
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
  const ratio = ours.seconds / legacy;
  console.log(
    `recorder: legacy=${legacy.toFixed(1)}s ours=${ours.seconds.toFixed(2)}s floor=${ours.floor.toFixed(2)}s ` +
      `speedup=${(legacy / ours.seconds).toFixed(1)}x floor_ratio=${(ours.seconds / ours.floor).toFixed(2)} ` +
      `pad60=${padded.seconds.toFixed(2)}s pad60_speedup=${(legacy / padded.seconds).toFixed(1)}x ` +
      `pad60_floor_ratio=${(padded.seconds / padded.floor).toFixed(2)} ratio=${ratio.toFixed(4)}`,
  );
} finally {
  await s3.stop();
}
