import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Progress } from '@rec/core';
import { makeTempDir, probe, probePackets, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFfmpegStatus } from '../src/ffmpeg/parseFfmpegStatus.js';
import { runFfmpeg } from '../src/ffmpeg/runFfmpeg.js';

describe('parseFfmpegStatus', () => {
  it.each<[string, { frames?: number; time?: number; bytes?: number }]>([
    // Lines as the bundled ffmpeg (4.1, 2018) and Debian's 5.1 print them.
    [
      'frame=   77 fps=0.0 q=-1.0 Lsize=     107kB time=00:00:02.00 bitrate= 438.0kbits/s speed=53.5x',
      { frames: 77, time: 2, bytes: 107 * 1024 },
    ],
    ['size=     256kB time=01:02:03.45 bitrate= 100.0kbits/s speed=  10x', { time: 3723.45, bytes: 262_144 }],
    [
      'frame=    0 fps=0.0 q=0.0 size=       0kB time=-00:00:00.02 bitrate=N/A speed=N/A',
      { frames: 0, time: -0.02, bytes: 0 },
    ],
    // 5.1 under -copyts: `time=` is counted from its first report, not the output's timestamps.
    [
      'frame=  477 fps=0.0 q=-1.0 Lsize=     522kB time=00:00:00.08 bitrate=48563.3kbits/s speed=6.44x',
      { frames: 477, time: 0.08, bytes: 522 * 1024 },
    ],
    // 6.x: KiB; 7.x: elapsed=, and N/A for what is unknown.
    [
      'frame=  250 fps=0.0 q=-1.0 Lsize=    1024KiB time=00:00:10.00 bitrate= 838.9kbits/s speed=1.2e+03x',
      { frames: 250, time: 10, bytes: 1024 * 1024 },
    ],
    [
      'frame=   50 fps=0.0 q=-1.0 size=N/A time=00:00:02.00 bitrate=N/A speed=  50x elapsed=0:00:00.04',
      { frames: 50, time: 2 },
    ],
    ['size=    1536KiB time=N/A bitrate=N/A speed=N/A elapsed=0:00:01.50', { bytes: 1536 * 1024 }],
  ])('parses %s', (line, expected) => {
    const status = parseFfmpegStatus(line);
    expect(status?.frames).toBe(expected.frames);
    if (expected.time === undefined) expect(status?.time).toBeUndefined();
    else expect(status?.time).toBeCloseTo(expected.time, 6);
    expect(status?.bytes).toBe(expected.bytes);
  });

  it('ignores other stderr lines', () => {
    expect(parseFfmpegStatus("Input #0, mpegts, from 'pipe:0':")).toBeUndefined();
    expect(parseFfmpegStatus('  Duration: N/A, start: 3.400000, bitrate: N/A')).toBeUndefined();
  });
});

describe('runFfmpeg', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-run-');
  });
  afterAll(() => dir.remove());

  it('runs one process with inputs/outputs and reports progress in seconds of output', async () => {
    const target = join(dir.path, 'tone.wav');
    const seen: Progress[] = [];
    const result = await runFfmpeg({
      inputs: [{ source: 'sine=sample_rate=8000:duration=3', options: ['-f', 'lavfi'] }],
      outputs: [{ target, options: ['-c:a', 'pcm_s16le', '-f', 'wav'] }],
      totalSeconds: 3,
      onProgress: (p) => seen.push(p),
    });
    expect(result.args.slice(0, 2)).toEqual(['-hide_banner', '-nostdin']);
    expect(result.args).toContain(target);
    const { streams } = await probe(target);
    expect(streams[0]?.duration).toBe('3.000000');
    const last = seen.at(-1);
    expect(last).toMatchObject({ total: 3, unit: 'seconds' });
    expect(last?.transferred).toBeCloseTo(3, 1);
    expect(last?.percent).toBeCloseTo(1, 1);
  });

  it('pipes a stream into stdin', async () => {
    const target = join(dir.path, 'from-stdin.wav');
    // 0.5 s of 8 kHz mono s16le silence as raw PCM on stdin.
    await runFfmpeg({
      inputs: [
        { source: Readable.from([Buffer.alloc(8000)]), options: ['-f', 's16le', '-ar', '8000', '-ac', '1'] },
      ],
      outputs: [{ target, options: ['-f', 'wav'] }],
    });
    const { streams } = await probe(target);
    expect(streams[0]?.duration).toBe('0.500000');
  });

  it('pipes a second stream into descriptor 3, read while the first waits for its bytes', async () => {
    const target = join(dir.path, 'two-streams.mkv');
    const pcm = ['-f', 's16le', '-ar', '8000', '-ac', '1'];
    // The second stream's bytes come only once the first has been read: each input has a reader of its own.
    let firstRead!: () => void;
    const firstDone = new Promise<void>((resolve) => {
      firstRead = resolve;
    });
    async function* first() {
      yield Buffer.alloc(16_000); // 1 s
      firstRead();
    }
    async function* second() {
      await firstDone;
      yield Buffer.alloc(8000); // 0.5 s
    }
    const result = await runFfmpeg({
      inputs: [
        { source: Readable.from(first()), options: pcm },
        { source: Readable.from(second()), options: pcm },
      ],
      outputs: [{ target, options: ['-map', '0', '-map', '1', '-c:a', 'pcm_s16le', '-f', 'matroska'] }],
    });
    expect(result.args.filter((arg) => arg.startsWith('pipe:'))).toEqual(['pipe:0', 'pipe:3']);
    // Every byte of both streams, in their own tracks.
    const bytes = [0, 0];
    for (const packet of await probePackets(target))
      bytes[packet.stream_index] = (bytes[packet.stream_index] ?? 0) + Number(packet.size);
    expect(bytes).toEqual([16_000, 8000]);
  });

  it('throws FFMPEG_FAILED in one line naming the cause, the last stderr lines in `log`', async () => {
    const missing = join(dir.path, 'missing.ts');
    const error = await runFfmpeg({
      inputs: [{ source: missing, options: ['-f', 'mpegts'] }],
      outputs: [{ target: join(dir.path, 'never.mp4') }],
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'MuxError',
      code: 'FFMPEG_FAILED',
      message: `ffmpeg failed: ${missing}: No such file or directory (exited with code 1)`,
    });
    expect((error as { log?: string }).log).toContain(`${missing}: No such file or directory`);
  });

  it("rejects with the input stream's own error when the stream fails", async () => {
    const broken = new Error('segment download failed');
    async function* source() {
      yield Buffer.alloc(4000);
      throw broken;
    }
    await expect(
      runFfmpeg({
        inputs: [{ source: Readable.from(source()), options: ['-f', 's16le', '-ar', '8000', '-ac', '1'] }],
        outputs: [{ target: join(dir.path, 'broken.wav'), options: ['-f', 'wav'] }],
      }),
    ).rejects.toBe(broken);
  });

  it('rejects with signal.reason when aborted, before or during the run', async () => {
    const reason = new Error('cancelled');
    await expect(
      runFfmpeg({
        inputs: [{ source: 'anullsrc', options: ['-f', 'lavfi'] }],
        outputs: [{ target: join(dir.path, 'pre.wav') }],
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);

    const controller = new AbortController();
    const started = Date.now();
    const endless = runFfmpeg({
      inputs: [{ source: 'anullsrc', options: ['-re', '-f', 'lavfi'] }], // real-time: never ends by itself
      outputs: [{ target: join(dir.path, 'endless.wav'), options: ['-f', 'wav'] }],
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    await expect(endless).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports a missing binary as FFMPEG_NOT_FOUND', async () => {
    await expect(
      runFfmpeg({
        inputs: [{ source: 'x' }],
        outputs: [{ target: 'y' }],
        ffmpegPath: join(dir.path, 'no-ffmpeg-here'),
      }),
    ).rejects.toMatchObject({ code: 'FFMPEG_NOT_FOUND' });
  });
});
