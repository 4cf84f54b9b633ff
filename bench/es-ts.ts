/**
 * @rec/es-ts muxElementaryStream vs ffmpeg on raw H.264 -> MPEG-TS.
 *
 *   pnpm bench es-ts
 *   node_modules/.bin/tsx --conditions=@rec/source bench/es-ts.ts [--runs 3]
 *
 * Input: 60 s of 1080p25 H.264 with B-frames (~60 MB, libx264 ultrafast,
 * bframes=3, 8 Mbit/s), made once and cached under <tmpdir>/rec-bench/es-ts.
 *
 * Reference: `ffmpeg -f h264 -i x.h264 -c copy -bsf:v setts=pts=DTS -f mpegts`
 * (the only ffmpeg command that muxes a B-frame ES to TS; its PTS are wrong,
 * PTS=DTS, but it is the speed users compare with). `setts` needs ffmpeg 4.4+:
 * FFMPEG_PATH, then /usr/bin/ffmpeg, then a Debian package unpacked under
 * <tmpdir>/rec-bench/deb (`apt-get download ffmpeg && dpkg -x ffmpeg_*.deb .`,
 * which leaves PATH alone). Without one, the bundled ffmpeg (2018) is timed
 * on `-c copy -f null` (demux and parse only, no TS written), and the output
 * says so.
 *
 * Ours runs in a child process (so its peak RSS is its own), bundled by
 * esbuild and run on plain Node with default V8 flags, written as a user
 * would for flat memory: the file read into two reused 1 MiB buffers (one is
 * read while the other is muxed), `writeTo(writableTarget(fileStream))`, which
 * reuses 4 output buffers of 1 MiB once the stream has written them.
 *
 * What is timed: ours from the first read to the last write flushed (in the
 * child; Node's start-up excluded, and also shown included); ffmpeg as a whole
 * process (start-up included). ffmpeg's start-up alone is measured on a tiny
 * input and subtracted for a second ratio. The 10x run feeds the file ten
 * times in a row (600 s, 600 MB) to both sides: memory must stay flat, and
 * start-up weighs little in that ratio (best of --runs, alternating, the
 * 600-MB input read once before). Outputs are deleted and `sync` runs before
 * each timed run, so neither side pays for the other's disk write-back.
 * A last 10x run goes through `packets` with fresh read-stream chunks, for
 * the memory that costs.
 */
import { execFile, spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ffmpegPath, testVideoEncoder, testVideoInput } from '@rec/test-support';

const run = promisify(execFile);
const work = join(tmpdir(), 'rec-bench', 'es-ts');
const input = join(work, 'h264-1080p25-60s-bf3.h264');
const root = fileURLToPath(new URL('..', import.meta.url));
const MB = 1e6;

interface ChildReport {
  seconds: number;
  maxRssMb: number;
  /** Heap plus ArrayBuffers still referenced at the end (after a forced GC). */
  liveMb: number;
  frames: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * The child: muxes `repeat` copies of a file into another and prints a JSON
 * report. It is bundled with esbuild and run on plain Node, as users run the
 * built package (the tsx loader alone holds ~40 MB of RSS).
 */
const CHILD_SOURCE = `
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { muxElementaryStream, writableTarget } from ${JSON.stringify(join(root, 'packages/es-ts/src/index.ts'))};
const [file, out, repeat, mode] = process.argv.slice(2);
const CHUNK = 1 << 20;

// The file, \`repeat\` times in a row, read into two reused buffers: one is
// read while the muxer works on the other. Reuse is safe because the muxer is
// done with a chunk when it asks for the next one.
async function* readChunks() {
  const handle = await open(file);
  try {
    const buffers = [Buffer.allocUnsafeSlow(CHUNK), Buffer.allocUnsafeSlow(CHUNK)];
    let left = Number(repeat);
    let position = 0;
    let k = 0;
    let reading = handle.read(buffers[0], 0, CHUNK, position);
    for (;;) {
      const { bytesRead, buffer } = await reading;
      if (bytesRead === 0) {
        if (--left === 0) return;
        position = 0;
        reading = handle.read(buffer, 0, CHUNK, position);
        continue;
      }
      position += bytesRead;
      k ^= 1;
      reading = handle.read(buffers[k], 0, CHUNK, position);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

// What the README's first example does: fresh 1 MiB chunks from a read stream,
// fresh output from \`packets\` (memory then depends on when V8 collects them).
async function* streamChunks() {
  for (let i = 0; i < Number(repeat); i++) {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) yield chunk;
  }
}

const started = performance.now();
const sink = createWriteStream(out);
let r;
if (mode === 'packets') {
  const { packets, result } = muxElementaryStream(streamChunks(), { codec: 'h264' });
  for await (const p of packets) {
    if (!sink.write(p)) await new Promise((resolve) => sink.once('drain', resolve));
  }
  r = await result;
} else {
  // writeTo: 4 output buffers of 1 MiB, each reused once the file stream has written it.
  r = await muxElementaryStream(readChunks(), { codec: 'h264' }).writeTo(writableTarget(sink));
}
await new Promise((resolve, reject) => sink.end((error) => (error ? reject(error) : resolve())));
const seconds = (performance.now() - started) / 1000;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// What is really held: V8 frees dead ArrayBuffers only after a GC and its sweep.
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 20));
globalThis.gc?.();
const live = process.memoryUsage();
console.log(JSON.stringify({
  liveMb: (live.heapUsed + live.arrayBuffers) / 2 ** 20,
  seconds,
  maxRssMb,
  frames: r.frames,
  bytesIn: r.bytesIn,
  bytesOut: r.bytesOut,
}));
`;

async function buildChild(): Promise<string> {
  const entry = join(work, 'child-entry.ts');
  const bundle = join(work, 'child.mjs');
  await writeFile(entry, CHILD_SOURCE);
  await run(join(root, 'node_modules/.bin/esbuild'), [
    entry,
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node20',
    '--conditions=@rec/source',
    `--outfile=${bundle}`,
    '--log-level=warning',
  ]);
  return bundle;
}

function timed(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    proc.once('error', reject);
    proc.once('exit', (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

async function ours(
  bundle: string,
  out: string,
  repeat: number,
  mode: 'writeTo' | 'packets' = 'writeTo',
): Promise<ChildReport & { wallSeconds: number }> {
  const started = performance.now();
  await rm(out, { force: true }); // so neither side pays for truncating an old output
  await settleDisk();
  const { stdout } = await run(process.execPath, ['--expose-gc', bundle, input, out, String(repeat), mode], {
    maxBuffer: 1 << 20,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  return { ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport), wallSeconds };
}

/** An ffmpeg with the `setts` bitstream filter, or the bundled one with a note. */
async function reference(): Promise<{
  path: string;
  args: (inFile: string, out: string) => string[];
  note: string;
}> {
  const candidates = [
    process.env.FFMPEG_PATH,
    '/usr/bin/ffmpeg',
    join(tmpdir(), 'rec-bench/deb/usr/bin/ffmpeg'),
  ];
  for (const path of candidates) {
    if (!path || !existsSync(path)) continue;
    try {
      const { stdout } = await run(path, ['-hide_banner', '-bsfs']);
      if (/^setts$/m.test(stdout)) {
        return {
          path,
          args: (inFile, out) => [
            '-v',
            'error',
            '-y',
            '-f',
            'h264',
            '-i',
            inFile,
            '-c',
            'copy',
            '-bsf:v',
            'setts=pts=DTS',
            '-f',
            'mpegts',
            out,
          ],
          note: `${path} -c copy -bsf:v setts=pts=DTS -f mpegts`,
        };
      }
    } catch {
      // not runnable: try the next one
    }
  }
  const path = ffmpegPath();
  return {
    path,
    args: (inFile) => ['-v', 'error', '-y', '-f', 'h264', '-i', inFile, '-c', 'copy', '-f', 'null', '-'],
    note: `bundled ffmpeg without setts: -c copy -f null (demux+parse only, writes no TS; ours writes TS)`,
  };
}

async function makeInput(): Promise<void> {
  if (existsSync(input)) return;
  await mkdir(work, { recursive: true });
  const ffmpeg = ffmpegPath();
  console.log('making 60 s of 1080p25 H.264 with B-frames (once)...');
  const part = `${input}.part.h264`;
  // The pictures of the hand-written command this replaced (min-keyint aside, which
  // only x264's options SEI shows: with no scene cuts it changes no frame).
  await run(ffmpeg, [
    ...['-hide_banner', '-v', 'error', '-y'],
    ...testVideoInput({ seconds: 60, size: '1920x1080' }),
    ...testVideoEncoder({ preset: 'ultrafast', bitrate: '8M', bframes: 3, gop: 50, params: ['b-adapt=0'] }),
    ...['-f', 'h264', part],
  ]);
  await rename(part, input);
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  await makeInput();
  const size = (await stat(input)).size;
  const ref = await reference();
  const bundle = await buildChild();
  const outDir = join(work, 'out');
  await mkdir(outDir, { recursive: true });
  console.log(`input ${(size / MB).toFixed(1)} MB; reference: ${ref.note}`);

  let best: (ChildReport & { wallSeconds: number }) | undefined;
  let ffmpegBest = Number.POSITIVE_INFINITY;
  const ffmpegOut = join(outDir, 'ffmpeg.ts');
  for (let i = 0; i < runs; i++) {
    // Alternate, so a noisy neighbour hurts both alike.
    const report = await ours(bundle, join(outDir, 'ours.ts'), 1);
    await rm(ffmpegOut, { force: true });
    await settleDisk();
    const seconds = await timed(ref.path, ref.args(input, ffmpegOut));
    console.log(
      `run ${i + 1}: ours ${report.seconds.toFixed(3)} s (${mbs(size, report.seconds)} MB/s; ${report.wallSeconds.toFixed(3)} s with Node start-up, rss ${report.maxRssMb.toFixed(0)} MB, ${report.frames} frames), ffmpeg ${seconds.toFixed(3)} s (${mbs(size, seconds)} MB/s)`,
    );
    if (!best || report.seconds < best.seconds) best = report;
    ffmpegBest = Math.min(ffmpegBest, seconds);
  }
  // ffmpeg's time includes its process start; measure that alone to show both views.
  let startup = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const args = ['-v', 'error', '-f', 'lavfi', '-i', 'nullsrc=s=16x16:d=0.04', '-f', 'null', '-'];
    startup = Math.min(startup, await timed(ref.path, args));
  }
  const oursMbs = size / MB / best!.seconds;
  const ffmpegMbs = size / MB / ffmpegBest;
  const ffmpegNoStartupMbs = size / MB / (ffmpegBest - startup);
  const oursProcessMbs = size / MB / best!.wallSeconds;
  console.log(
    `1x: ffmpeg start-up ${startup.toFixed(3)} s; without it ffmpeg does ${ffmpegNoStartupMbs.toFixed(0)} MB/s (ratio ${(oursMbs / ffmpegNoStartupMbs).toFixed(2)}); process against process (ours with Node start-up ${oursProcessMbs.toFixed(0)} MB/s): ratio ${(oursProcessMbs / ffmpegMbs).toFixed(2)}`,
  );

  // 10x: memory must stay flat; start-up weighs little on either side, so this ratio is the fairest.
  const input10 = await makeTenfoldInput(size);
  // Into the page cache, as ours' input is; streamed, because a child's peak RSS
  // (getrusage maxrss) starts at its parent's when it is forked.
  for await (const _ of createReadStream(input10)) {
    // reading is the point
  }
  let tenfold: (ChildReport & { wallSeconds: number }) | undefined;
  let ffmpeg10 = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const report = await ours(bundle, join(outDir, 'ours10x.ts'), 10);
    await rm(join(outDir, 'ours10x.ts'), { force: true });
    if (!tenfold || report.seconds < tenfold.seconds) tenfold = report;
    await rm(ffmpegOut, { force: true });
    await settleDisk();
    ffmpeg10 = Math.min(ffmpeg10, await timed(ref.path, ref.args(input10, ffmpegOut)));
    await rm(ffmpegOut, { force: true });
  }
  if (!tenfold) throw new Error('no 10x run');
  const ours10Mbs = tenfold.bytesIn / MB / tenfold.seconds;
  const ffmpeg10Mbs = (10 * size) / MB / ffmpeg10;
  console.log(
    `10x: ${(tenfold.bytesIn / MB).toFixed(0)} MB, ours ${tenfold.seconds.toFixed(2)} s (${ours10Mbs.toFixed(0)} MB/s, ${tenfold.wallSeconds.toFixed(2)} s with Node start-up), ${tenfold.frames} frames, peak rss ${tenfold.maxRssMb.toFixed(0)} MB (1x: ${best!.maxRssMb.toFixed(0)} MB), live after gc ${tenfold.liveMb.toFixed(1)} MB (1x: ${best!.liveMb.toFixed(1)} MB); ffmpeg ${ffmpeg10.toFixed(2)} s (${ffmpeg10Mbs.toFixed(0)} MB/s): ratio ${(ours10Mbs / ffmpeg10Mbs).toFixed(2)}, process against process ${(tenfold.bytesIn / MB / tenfold.wallSeconds / ffmpeg10Mbs).toFixed(2)}`,
  );
  // For comparison: the same work through `packets` with fresh read-stream chunks.
  const naive = await ours(bundle, join(outDir, 'ours10x.ts'), 10, 'packets');
  console.log(
    `10x through \`packets\` + createReadStream (fresh memory per chunk): ${(naive.bytesIn / MB / naive.seconds).toFixed(0)} MB/s, peak rss ${naive.maxRssMb.toFixed(0)} MB`,
  );
  await rm(outDir, { recursive: true, force: true });
  console.log(
    `es-ts: ours=${oursMbs.toFixed(0)}MB/s ffmpeg=${ffmpegMbs.toFixed(0)}MB/s rss=${best!.maxRssMb.toFixed(0)}MB rss10x=${tenfold.maxRssMb.toFixed(0)}MB ratio=${(oursMbs / ffmpegMbs).toFixed(2)} ratio_excl_startup=${(oursMbs / ffmpegNoStartupMbs).toFixed(2)} ratio10x=${(ours10Mbs / ffmpeg10Mbs).toFixed(2)}`,
  );
}

/** Writes back what earlier runs left dirty, so it does not land in the next timed run. */
async function settleDisk(): Promise<void> {
  await run('sync', []);
}

const mbs = (bytes: number, seconds: number): string => (bytes / MB / seconds).toFixed(0);

/** The input ten times over, for ffmpeg's 10x run (cached next to the input). */
async function makeTenfoldInput(size: number): Promise<string> {
  const file = join(work, 'h264-1080p25-600s-bf3.h264');
  if (existsSync(file) && (await stat(file)).size === 10 * size) return file;
  const part = `${file}.part`;
  await rm(part, { force: true });
  for (let i = 0; i < 10; i++) await appendFile(part, await readFile(input));
  await rename(part, file);
  return file;
}

await main();
