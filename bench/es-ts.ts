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
 * esbuild and run on plain Node: reads the file in 1 MiB chunks, writes the
 * TS to a file. It is timed from the first read
 * to the last write (Node start-up excluded; ffmpeg is timed as a process).
 * The 10x run feeds the file ten times in a row (600 s, 600 MB) to show that
 * memory stays flat.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ffmpegPath } from '@rec/test-support';

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
import { muxElementaryStream } from ${JSON.stringify(join(root, 'packages/es-ts/src/index.ts'))};
const [file, out, repeat] = process.argv.slice(2);
async function* chunks() {
  for (let i = 0; i < Number(repeat); i++) {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk;
  }
}
const started = performance.now();
// A deep write queue lets the disk work while the next chunk is muxed.
const sink = createWriteStream(out, { highWaterMark: 8 << 20 });
const { packets, result } = muxElementaryStream(chunks(), { codec: 'h264' });
for await (const p of packets) {
  if (!sink.write(p)) await new Promise((resolve) => sink.once('drain', resolve));
}
await new Promise((resolve, reject) => sink.end((error) => (error ? reject(error) : resolve())));
const r = await result;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// What is really held: V8 collects dead ArrayBuffers only after ~64 MB of them pile up.
globalThis.gc?.();
const live = process.memoryUsage();
console.log(JSON.stringify({
  liveMb: (live.heapUsed + live.arrayBuffers) / 2 ** 20,
  seconds: (performance.now() - started) / 1000,
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
): Promise<ChildReport & { wallSeconds: number }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, ['--expose-gc', bundle, input, out, String(repeat)], {
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
  await run(ffmpeg, [
    '-hide_banner',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1920x1080:rate=25',
    '-t',
    '60',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-b:v',
    '8M',
    '-x264-params',
    'bframes=3:b-adapt=0:keyint=50',
    '-f',
    'h264',
    part,
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
  for (let i = 0; i < runs; i++) {
    // Alternate, so a noisy neighbour hurts both alike.
    const report = await ours(bundle, join(outDir, 'ours.ts'), 1);
    const seconds = await timed(ref.path, ref.args(input, join(outDir, 'ffmpeg.ts')));
    console.log(
      `run ${i + 1}: ours ${report.seconds.toFixed(3)} s (${(size / MB / report.seconds).toFixed(0)} MB/s; ${report.wallSeconds.toFixed(3)} s with Node start-up, rss ${report.maxRssMb.toFixed(0)} MB, ${report.frames} frames), ffmpeg ${seconds.toFixed(3)} s (${(size / MB / seconds).toFixed(0)} MB/s)`,
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
  console.log(
    `ffmpeg start-up ${startup.toFixed(3)} s; without it ffmpeg does ${(size / MB / (ffmpegBest - startup)).toFixed(0)} MB/s (ratio ${(size / MB / best!.seconds / (size / MB / (ffmpegBest - startup))).toFixed(2)}); ours with Node start-up ${(size / MB / best!.wallSeconds).toFixed(0)} MB/s`,
  );
  const tenfold = await ours(bundle, join(outDir, 'ours10x.ts'), 10);
  console.log(
    `10x: ${(tenfold.bytesIn / MB).toFixed(0)} MB in ${tenfold.seconds.toFixed(2)} s (${(tenfold.bytesIn / MB / tenfold.seconds).toFixed(0)} MB/s), ${tenfold.frames} frames, peak rss ${tenfold.maxRssMb.toFixed(0)} MB, live after gc ${tenfold.liveMb.toFixed(1)} MB (1x: ${best!.liveMb.toFixed(1)} MB)`,
  );
  await rm(outDir, { recursive: true, force: true });
  const oursMbs = size / MB / best!.seconds;
  const ffmpegMbs = size / MB / ffmpegBest;
  console.log(
    `es-ts: ours=${oursMbs.toFixed(0)}MB/s ffmpeg=${ffmpegMbs.toFixed(0)}MB/s rss=${best!.maxRssMb.toFixed(0)}MB rss10x=${tenfold.maxRssMb.toFixed(0)}MB ratio=${(oursMbs / ffmpegMbs).toFixed(2)}`,
  );
}

await main();
