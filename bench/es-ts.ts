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
 * Ours runs in a child process (so its peak RSS is its own): reads the file
 * in 1 MiB chunks, writes the TS to a file. It is timed from the first read
 * to the last write (Node start-up excluded; ffmpeg is timed as a process).
 * The 10x run feeds the file ten times in a row (600 s, 600 MB) to show that
 * memory stays flat.
 */
import { execFile, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { muxElementaryStream } from '@rec/es-ts';
import { ffmpegPath } from '@rec/test-support';

const run = promisify(execFile);
const work = join(tmpdir(), 'rec-bench', 'es-ts');
const input = join(work, 'h264-1080p25-60s-bf3.h264');
const thisFile = fileURLToPath(import.meta.url);
const MB = 1e6;

interface ChildReport {
  seconds: number;
  maxRssMb: number;
  frames: number;
  bytesIn: number;
  bytesOut: number;
}

/** Child mode: mux `repeat` copies of `file` into `out`, print a JSON report. */
async function child(file: string, out: string, repeat: number): Promise<void> {
  async function* chunks() {
    for (let i = 0; i < repeat; i++) {
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    }
  }
  const started = performance.now();
  const sink = createWriteStream(out);
  const { packets, result } = muxElementaryStream(chunks(), { codec: 'h264' });
  for await (const p of packets) {
    if (!sink.write(p)) await new Promise((resolve) => sink.once('drain', resolve));
  }
  await new Promise<void>((resolve, reject) => sink.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const r = await result;
  const report: ChildReport = {
    seconds: (performance.now() - started) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    frames: r.frames,
    bytesIn: r.bytesIn,
    bytesOut: r.bytesOut,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
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
      code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

async function ours(out: string, repeat: number): Promise<ChildReport> {
  const { stdout } = await run(process.execPath, [...process.execArgv, thisFile, '--child', input, out, String(repeat)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport;
}

/** An ffmpeg with the `setts` bitstream filter, or the bundled one with a note. */
async function reference(): Promise<{ path: string; args: (inFile: string, out: string) => string[]; note: string }> {
  const candidates = [process.env.FFMPEG_PATH, '/usr/bin/ffmpeg', join(tmpdir(), 'rec-bench/deb/usr/bin/ffmpeg')];
  for (const path of candidates) {
    if (!path || !existsSync(path)) continue;
    try {
      const { stdout } = await run(path, ['-hide_banner', '-bsfs']);
      if (/^setts$/m.test(stdout)) {
        return {
          path,
          args: (inFile, out) => ['-v', 'error', '-y', '-f', 'h264', '-i', inFile, '-c', 'copy', '-bsf:v', 'setts=pts=DTS', '-f', 'mpegts', out],
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
    '-hide_banner', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25',
    '-t', '60',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '8M',
    '-x264-params', 'bframes=3:b-adapt=0:keyint=50',
    '-f', 'h264', part,
  ]);
  const { rename } = await import('node:fs/promises');
  await rename(part, input);
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  await makeInput();
  const size = (await stat(input)).size;
  const ref = await reference();
  const outDir = join(work, 'out');
  await mkdir(outDir, { recursive: true });
  console.log(`input ${(size / MB).toFixed(1)} MB; reference: ${ref.note}`);

  let best: ChildReport | undefined;
  let ffmpegBest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    // Alternate, so a noisy neighbour hurts both alike.
    const report = await ours(join(outDir, 'ours.ts'), 1);
    const seconds = await timed(ref.path, ref.args(input, join(outDir, 'ffmpeg.ts')));
    console.log(
      `run ${i + 1}: ours ${report.seconds.toFixed(3)} s (${(size / MB / report.seconds).toFixed(0)} MB/s, rss ${report.maxRssMb.toFixed(0)} MB, ${report.frames} frames), ffmpeg ${seconds.toFixed(3)} s (${(size / MB / seconds).toFixed(0)} MB/s)`,
    );
    if (!best || report.seconds < best.seconds) best = report;
    ffmpegBest = Math.min(ffmpegBest, seconds);
  }
  const tenfold = await ours(join(outDir, 'ours10x.ts'), 10);
  console.log(
    `10x: ${(tenfold.bytesIn / MB).toFixed(0)} MB in ${tenfold.seconds.toFixed(2)} s (${(tenfold.bytesIn / MB / tenfold.seconds).toFixed(0)} MB/s), ${tenfold.frames} frames, rss ${tenfold.maxRssMb.toFixed(0)} MB`,
  );
  await rm(outDir, { recursive: true, force: true });
  const oursMbs = size / MB / best!.seconds;
  const ffmpegMbs = size / MB / ffmpegBest;
  console.log(
    `es-ts: ours=${oursMbs.toFixed(0)}MB/s ffmpeg=${ffmpegMbs.toFixed(0)}MB/s rss=${best!.maxRssMb.toFixed(0)}MB rss10x=${tenfold.maxRssMb.toFixed(0)}MB ratio=${(oursMbs / ffmpegMbs).toFixed(2)}`,
  );
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, Number(process.argv[5] ?? 1));
} else {
  await main();
}
