/**
 * mp4dump vs ffprobe, mp4box.js (and Bento4's mp4dump when one is on PATH)
 * on the issue's file: 60 s of 1080p25 H.264 fragmented with one moof per
 * frame (`-movflags +frag_keyframe+empty_moov+default_base_moof
 * -frag_duration 1`: 1,500 moof + mdat pairs, ~10,500 boxes), 8 Mbit/s so
 * that it is about 60 MB (libx264 ultrafast), made once and cached under
 * <tmpdir>/rec-bench/mp4dump.
 *
 *   pnpm bench mp4dump [--runs 5] [--seconds 60]
 *   node_modules/.bin/tsx --conditions=@rec/source bench/mp4dump.ts
 *
 * Process against process, each from spawn to exit, stdout to /dev/null:
 * - ours: `mp4dump --verbosity 2 FILE`, the CLI bundled by esbuild (from
 *   src, every @rec package and yargs inlined, the DASH-mode modules split
 *   off and string-width made lazy as tsup builds the published dist/cli.js,
 *   apps/mp4dump/tsup.config.ts) and run on plain Node;
 * - `ffprobe -v error -show_packets FILE` (the packets are what a dump at
 *   verbosity 2 lists: each trun entry);
 * - mp4box.js (npm `mp4box`): a Node script that feeds the file to
 *   `createFile().appendBuffer` in 1 MiB chunks from where the parser asks
 *   for (it skips mdat payloads) and counts the boxes it parsed;
 * - Bento4's `mp4dump --verbosity 2 FILE` if a Bento4 build is on PATH or
 *   named by BENTO4_MP4DUMP (TOOLS-NOTES' reference from another machine:
 *   61 ms, 3.6 MB);
 * - `node -e 0`: Node's bare start-up, the floor of any Node CLI, and
 *   `mp4dump empty.mp4`: start-up with our modules loaded, no box to dump.
 * Every process runs without NODE_EXTRA_CA_CERTS, which this machine sets
 * to the system's whole CA bundle (220 KB): Node parses those certificates
 * at start-up, about 85 ms of CPU per Node process here, a cost of this
 * machine's set-up that a user's shell does not have (ffprobe never pays
 * it). `node -e 0` is also measured with it, to show what it costs.
 * Wall time and CPU time (user + system, which a busy machine disturbs
 * less) are medians of --runs rounds, each running every command once in
 * turn (after one warm-up round), so that load from elsewhere falls on all
 * of them alike; peak RSS the
 * largest `/usr/bin/time` saw. Then our RSS on the 60 MB file and on a
 * 3 GiB sparse file (the same init, a 64-bit `largesize` mdat of 3 GiB, then
 * the 60 MB file's fragments): memory must not grow with the file.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openFileSource } from '@rec/core/node';
import { readBoxes } from '@rec/fmp4-boxes';
import { encodeTestVideo, ffprobePath } from '@rec/test-support';
import { lazyStringWidth } from '../scripts/build/lazyStringWidth.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(tmpdir(), 'rec-bench', 'mp4dump');
const MB = 1e6;
const GiB = 1024 ** 3;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}
const runs = argument('runs', 5);
const seconds = argument('seconds', 60);
const input = join(work, `frag-per-frame-1080p25-${seconds}s.mp4`);
const sparse = join(work, `sparse-3gib-${seconds}s.mp4`);

/** The mp4box.js walker: reads the file in 1 MiB chunks where the parser asks, counts the boxes. */
const MP4BOX_SOURCE = `
import { open } from 'node:fs/promises';
import { createFile, MP4BoxBuffer } from ${JSON.stringify(import.meta.resolve('mp4box'))};
const file = createFile();
let error;
file.onError = (module, message) => { error = module + ': ' + message; };
const handle = await open(process.argv[2]);
const { size } = await handle.stat();
const CHUNK = 1 << 20;
let next = 0;
while (next < size) {
  const bytes = new Uint8Array(Math.min(CHUNK, size - next));
  const { bytesRead } = await handle.read(bytes, 0, bytes.length, next);
  const buffer = MP4BoxBuffer.fromArrayBuffer(bytes.buffer.slice(0, bytesRead), next);
  const asked = file.appendBuffer(buffer, next + bytesRead >= size);
  next = asked > next ? asked : next + bytesRead;
}
file.flush();
await handle.close();
let boxes = 0;
const walk = (list) => { for (const box of list ?? []) { boxes++; walk(box.boxes); } };
walk(file.boxes);
console.log(JSON.stringify({ boxes, error }));
`;

interface Measure {
  label: string;
  medianMs: number;
  /** User + system CPU time (median): what the run costs, whatever else the machine does. */
  cpuMs: number;
  maxRssMb: number;
}

/** Runs `command` under /usr/bin/time (stdout to /dev/null): wall and CPU milliseconds, peak RSS. */
function once(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; cpuMs: number; rssMb: number }> {
  const report = join(work, 'time.txt');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', report, command, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.once('error', reject);
    child.once('exit', async (code) => {
      const ms = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
        return;
      }
      const [kilobytes, user, system] = ((await readFile(report, 'utf8')).trim().split('\n').at(-1) ?? '')
        .split(' ')
        .map(Number);
      resolve({
        ms,
        cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000,
        rssMb: ((kilobytes ?? 0) * 1024) / MB,
      });
    });
  });
}

/** The environment of the measured processes: this one's without NODE_EXTRA_CA_CERTS (see the top). */
const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...plainEnv } = process.env;

interface Command {
  label: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs every command once per round, `runs` rounds after a warm-up round:
 * interleaved, so that a shift in the machine's load (other sessions' work)
 * falls on every tool alike rather than on whichever ran during it.
 */
async function measureAll(commands: readonly Command[]): Promise<Measure[]> {
  const samples = commands.map(() => [] as { ms: number; cpuMs: number; rssMb: number }[]);
  for (let round = 0; round <= runs; round++) {
    for (const [index, { command, args, env }] of commands.entries()) {
      const sample = await once(command, args, env ?? plainEnv);
      if (round > 0) samples[index]?.push(sample); // round 0 warms the file cache and the binaries
    }
  }
  const median = (values: number[]) =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  return commands.map(({ label }, index) => {
    const taken = samples[index] ?? [];
    const result = {
      label,
      medianMs: median(taken.map((sample) => sample.ms)),
      cpuMs: median(taken.map((sample) => sample.cpuMs)),
      maxRssMb: Math.max(...taken.map((sample) => sample.rssMb)),
    };
    console.log(
      `bench/mp4dump: ${label.padEnd(36)} ${result.medianMs.toFixed(0).padStart(6)} ms wall ` +
        `${result.cpuMs.toFixed(0).padStart(6)} ms CPU ${result.maxRssMb.toFixed(1).padStart(6)} MB RSS`,
    );
    return result;
  });
}

/** Every box of a file, all depths, by @rec/fmp4-boxes' reader. */
async function countBoxes(file: string): Promise<number> {
  const source = await openFileSource(file);
  let boxes = 0;
  try {
    for await (const _ of readBoxes(source)) boxes++;
  } finally {
    await source.close();
  }
  return boxes;
}

async function makeInput(): Promise<void> {
  if (existsSync(input)) return;
  console.log(
    `bench/mp4dump: encoding ${seconds} s of 1080p25, one moof per frame (once, cached in ${work})`,
  );
  const part = `${input}.part.mp4`;
  // x264's default GOP (250 frames), as the issue's file had it.
  await encodeTestVideo(part, {
    seconds,
    size: '1920x1080',
    preset: 'ultrafast',
    bitrate: '8M',
    gop: 250,
    outputArgs: [
      ...['-maxrate', '8M', '-bufsize', '16M'],
      ...['-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1'],
    ],
  });
  await rename(part, input);
}

/**
 * The 3 GiB input: the file's ftyp + moov, an mdat with a 64-bit
 * `largesize` (ISO/IEC 14496-12 4.2: size = 1, then the 64-bit size) of
 * 3 GiB left as a hole (sparse: no disk used), then every moof + mdat of the
 * 60 MB file (`default_base_moof`: their data offsets count from their own
 * moof, so they stay right).
 */
async function makeSparse(): Promise<void> {
  if (existsSync(sparse)) return;
  const source = await openFileSource(input);
  const top: { type: string; offset: number; size: number }[] = [];
  for await (const box of readBoxes(source, { maxDepth: 0 })) top.push(box);
  const firstMoof = top.find((box) => box.type === 'moof');
  if (!firstMoof) throw new Error(`${input} has no moof`);
  const init = await source.read(0, firstMoof.offset);
  const fragments = await source.read(firstMoof.offset, await source.size());
  await source.close();
  const header = new Uint8Array(16);
  const view = new DataView(header.buffer);
  view.setUint32(0, 1); // size = 1: a largesize follows
  header.set([0x6d, 0x64, 0x61, 0x74], 4); // 'mdat'
  view.setBigUint64(8, BigInt(3 * GiB)); // largesize: the whole box, header included
  const file = await open(`${sparse}.part`, 'w');
  try {
    await file.write(init, 0, init.length, 0);
    await file.write(header, 0, header.length, init.length);
    await file.write(fragments, 0, fragments.length, init.length + 3 * GiB);
  } finally {
    await file.close();
  }
  await rename(`${sparse}.part`, sparse);
}

/** A Bento4 `mp4dump` on PATH (not ours: node_modules/.bin has rec's own under `pnpm bench`). */
async function findBento4(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'mp4dump');
    if (!dir || dir.includes('node_modules') || !existsSync(candidate)) continue;
    const banner = await run(candidate, []).then(
      (result) => result.stdout + result.stderr,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    if (/Bento4/i.test(banner)) return candidate;
  }
  return undefined;
}

await mkdir(work, { recursive: true });
await makeInput();
await makeSparse();
const size = (await stat(input)).size;
const boxes = await countBoxes(input);
console.log(`bench/mp4dump: ${input}: ${(size / MB).toFixed(1)} MB, ${boxes} boxes`);

// Laid out as the package is: dist/cli.js beside ../package.json (which --version reads), the
// DASH-mode modules in chunks of their own (tsup splits the published build the same way).
const dist = join(work, 'app/dist');
const bundle = join(dist, 'cli.js');
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await writeFile(join(work, 'app/package.json'), await readFile(join(root, 'apps/mp4dump/package.json')));
// esbuild's JavaScript API, the copy tsup builds the published CLI with (for its plugin option).
const fromTsup = createRequire(createRequire(join(root, 'apps/mp4dump/package.json')).resolve('tsup'));
const esbuild = (await import(fromTsup.resolve('esbuild'))) as {
  build(options: Record<string, unknown>): Promise<unknown>;
};
await esbuild.build({
  entryPoints: [join(root, 'apps/mp4dump/src/cli.ts')],
  ...{ bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20' },
  ...{ conditions: ['@rec/source'], outdir: dist, logLevel: 'warning', plugins: [lazyStringWidth()] },
});
const walker = join(work, 'mp4box-walk.mjs');
await writeFile(walker, MP4BOX_SOURCE);

// What each tool does with the file (outside the timing): our output, mp4box.js's box count.
const ours = await run(process.execPath, [bundle, '--verbosity', '2', input], { maxBuffer: 1 << 30 });
const mp4box = JSON.parse((await run(process.execPath, [walker, input])).stdout) as {
  boxes: number;
  error?: string;
};
console.log(
  `bench/mp4dump: ours prints ${(ours.stdout.length / MB).toFixed(1)} MB (${ours.stdout.split('\n').length - 1} lines); ` +
    `mp4box.js parsed ${mp4box.boxes} boxes${mp4box.error ? ` (error: ${mp4box.error})` : ''}`,
);

// A file with no box: start-up with our modules loaded and the CLI run, no dump.
const empty = join(work, 'empty.mp4');
await writeFile(empty, '');
const bento4Path = process.env.BENTO4_MP4DUMP || (await findBento4());
const commands: Command[] = [
  { label: 'node -e 0 (Node start-up)', command: process.execPath, args: ['-e', '0'] },
  ...(extraCaCerts
    ? [
        {
          label: 'node -e 0, NODE_EXTRA_CA_CERTS as set',
          command: process.execPath,
          args: ['-e', '0'],
          env: process.env,
        },
      ]
    : []),
  { label: 'mp4dump on an empty file (no box)', command: process.execPath, args: [bundle, empty] },
  {
    label: 'mp4dump --verbosity 2 (ours)',
    command: process.execPath,
    args: [bundle, '--verbosity', '2', input],
  },
  { label: 'ffprobe -show_packets', command: ffprobePath(), args: ['-v', 'error', '-show_packets', input] },
  { label: 'mp4box.js (appendBuffer, 1 MiB)', command: process.execPath, args: [walker, input] },
  ...(bento4Path
    ? [{ label: 'Bento4 mp4dump --verbosity 2', command: bento4Path, args: ['--verbosity', '2', input] }]
    : []),
  {
    label: 'ours on the 3 GiB sparse file',
    command: process.execPath,
    args: [bundle, '--verbosity', '2', sparse],
  },
];
const measured = new Map((await measureAll(commands)).map((result) => [result.label, result]));
const get = (label: string) => {
  const result = measured.get(label);
  if (!result) throw new Error(`bench/mp4dump: ${label} was not measured`);
  return result;
};
const node = get('node -e 0 (Node start-up)');
const nodeWithCa = extraCaCerts ? get('node -e 0, NODE_EXTRA_CA_CERTS as set') : undefined;
const loaded = get('mp4dump on an empty file (no box)');
const mine = get('mp4dump --verbosity 2 (ours)');
const ffprobe = get('ffprobe -show_packets');
const box = get('mp4box.js (appendBuffer, 1 MiB)');
const bento4 = bento4Path ? get('Bento4 mp4dump --verbosity 2') : undefined;
if (!bento4)
  console.log('bench/mp4dump: no Bento4 mp4dump on PATH (TOOLS-NOTES reference: 61 ms, 3.6 MB RSS)');
const big = get('ours on the 3 GiB sparse file');

const ratio = (a: number, b: number | undefined) => (b === undefined ? 'n/a' : (a / b).toFixed(2));
console.log(
  `bench/mp4dump: Node's start-up is ${((100 * node.medianMs) / mine.medianMs).toFixed(0)} % of our wall time; ` +
    `loading our modules ${(loaded.medianMs - node.medianMs).toFixed(0)} ms, the dump itself ${(mine.medianMs - loaded.medianMs).toFixed(0)} ms`,
);
console.log(
  `mp4dump: boxes=${boxes} size_mb=${(size / MB).toFixed(1)} ours_ms=${mine.medianMs.toFixed(0)} ` +
    `ffprobe_ms=${ffprobe.medianMs.toFixed(0)} mp4box_ms=${box.medianMs.toFixed(0)} ` +
    `bento4_ms=${bento4 ? bento4.medianMs.toFixed(0) : 'n/a'} node_ms=${node.medianMs.toFixed(0)} ` +
    `ours_rss_mb=${mine.maxRssMb.toFixed(1)} ours_3gib_rss_mb=${big.maxRssMb.toFixed(1)} ours_3gib_ms=${big.medianMs.toFixed(0)} ` +
    `ffprobe_rss_mb=${ffprobe.maxRssMb.toFixed(1)} mp4box_rss_mb=${box.maxRssMb.toFixed(1)} ` +
    `ours_cpu_ms=${mine.cpuMs.toFixed(0)} ffprobe_cpu_ms=${ffprobe.cpuMs.toFixed(0)} mp4box_cpu_ms=${box.cpuMs.toFixed(0)} ` +
    `node_cpu_ms=${node.cpuMs.toFixed(0)} node_extra_ca_certs_ms=${nodeWithCa ? nodeWithCa.medianMs.toFixed(0) : 'n/a'} ` +
    `cpu_ratio=${ratio(mine.cpuMs, ffprobe.cpuMs)} ` +
    `vs_mp4box=${ratio(mine.medianMs, box.medianMs)} vs_bento4=${ratio(mine.medianMs, bento4?.medianMs)} ` +
    `ratio=${ratio(mine.medianMs, ffprobe.medianMs)}`,
);
