/**
 * An ffmpeg failure is one line naming the cause ffmpeg reported (issue 9
 * item 8: it was 9-19 lines of ffmpeg's log with the cause last), the log
 * kept on the error for `--debug`. Real ffmpeg on a full disk, a read-only
 * mount and an invalid input; the mounts need root (tmpfs), else those
 * tests are skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTestAudio, makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFfmpegFailure } from '../src/ffmpeg/describeFfmpegFailure.js';
import { runFfmpeg } from '../src/ffmpeg/runFfmpeg.js';
import { encodeAac, MuxError, writeRecording } from '../src/index.js';

describe('describeFfmpegFailure', () => {
  // stderr tails as ffmpeg 4.1 (bundled) and Debian's 5.1 printed them here.
  it.each<[string, string[], string[], string]>([
    [
      'a full disk (5.1: the cause after a status line, then the trailer and close errors)',
      [
        '      encoder         : Lavc59.37.100 pcm_s16le',
        'size=       2kB time=00:00:00.02 bitrate= 732.5kbits/s speed=2.32e+04x    ',
        'av_interleaved_write_frame(): No space left on device',
        'Error writing trailer of file:/mnt/full/o.wav: No space left on device',
        'size=      64kB time=00:00:02.97 bitrate= 176.4kbits/s speed=1.43e+03x    ',
        'video:0kB audio:256kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown',
        'Error closing file file:/mnt/full/o.wav: No space left on device',
        'Conversion failed!',
      ],
      ['sine=d=5', 'file:/mnt/full/o.wav'],
      'No space left on device (/mnt/full/o.wav)',
    ],
    [
      'a read-only mount (4.1 and 5.1 alike)',
      [
        "Input #0, lavfi, from 'sine=d=1':",
        '  Duration: N/A, start: 0.000000, bitrate: 705 kb/s',
        '    Stream #0:0: Audio: pcm_s16le, 44100 Hz, mono, s16, 705 kb/s',
        'file:/mnt/ro/o.wav: Read-only file system',
      ],
      ['sine=d=1', 'file:/mnt/ro/o.wav'],
      '/mnt/ro/o.wav: Read-only file system',
    ],
    [
      'an input that is no media',
      ['file:/in/text.ts: Invalid data found when processing input'],
      ['file:/in/text.ts', 'file:/out/y.mp4'],
      '/in/text.ts: Invalid data found when processing input',
    ],
    [
      "5.1's word for an ADTS input without frames: the line about an input",
      [
        '[aac @ 0x55c0bbbcb8c0] Format aac detected only with low score of 1, misdetection possible!',
        'file:/in/bad.aac: End of file',
      ],
      ['file:/in/bad.aac', 'file:/out/y.mp4'],
      '/in/bad.aac: End of file',
    ],
    [
      'no known cause: the last line that reads like an error, without the pointer',
      [
        "Input #0, mpegts, from 'pipe:0':",
        '[mp4 @ 0x5581f1d2c0c0] Could not find tag for codec pcm_s16le in stream #0, codec not currently supported in container',
        'Could not write header for output file #0 (incorrect codec parameters ?): Invalid argument',
        'Conversion failed!',
      ],
      ['file:/out/y.mp4'],
      'Could not write header for output file #0 (incorrect codec parameters ?): Invalid argument',
    ],
  ])('%s', (_, lines, files, expected) => {
    expect(describeFfmpegFailure(lines, files)).toBe(expected);
  });
});

/** Mounts a tmpfs (root only); the reason it cannot otherwise. */
function mountTmpfs(dir: string, options: string): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
}

describe('FFMPEG_FAILED and MUX_DISK_FULL', () => {
  let dir: TempDir;
  const mounts: string[] = [];
  const path = (name: string) => join(dir.path, name);
  let adts: string; // 60 s of stereo noise in AAC at 256 kb/s: about 1.9 MB
  let noiseWav: string; // the same noise as 16-bit WAV, for encodeAac
  let fullDir: string;
  let fullSkip: string | undefined;
  let readOnlyDir: string;
  let readOnlySkip: string | undefined;

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-ffmpeg-failure-');
    adts = await encodeTestAudio(path('long.aac'), {
      seconds: 60,
      channels: 2,
      expression: 'random(0)-0.5|random(1)-0.5', // noise: the encoder cannot make it small
      codec: 'aac',
      format: 'adts',
      outputArgs: ['-b:a', '256k'],
    });
    noiseWav = await encodeTestAudio(path('long.wav'), {
      seconds: 60,
      channels: 2,
      expression: 'random(0)-0.5|random(1)-0.5',
    });
    fullDir = path('full');
    readOnlyDir = path('read-only');
    await mkdir(fullDir);
    await mkdir(readOnlyDir);
    fullSkip = mountTmpfs(fullDir, 'size=1m');
    if (fullSkip === undefined) mounts.push(fullDir);
    readOnlySkip = mountTmpfs(readOnlyDir, 'ro,size=1m');
    if (readOnlySkip === undefined) mounts.push(readOnlyDir);
  });
  afterAll(async () => {
    for (const mount of mounts) execFileSync('umount', [mount]);
    await dir?.remove();
  });

  /** The error of a run that must fail. */
  const failure = (run: Promise<unknown>) =>
    run.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as MuxError,
    );

  it('names a full disk and the file, in one line, with the log kept', async (context) => {
    if (fullSkip) context.skip(fullSkip);
    expect((await stat(adts)).size).toBeGreaterThan(1.5 * 2 ** 20); // more than the 1 MiB mount holds
    const output = join(fullDir, 'recording.mp4');
    const error = await failure(
      writeRecording({ audio: { adts, offset: 0 }, window: { start: 0, end: 60 }, output }),
    );
    expect(error).toBeInstanceOf(MuxError);
    expect(error.code).toBe('MUX_DISK_FULL');
    expect(error.message).toMatch(
      new RegExp(`^ffmpeg failed: No space left on device \\(${output}\\.part\\) \\(exited with code 1\\)$`),
    );
    expect(error.log?.split('\n').length).toBeGreaterThan(3);
    expect(error.log).toContain('No space left on device');
    expect(error.cause).toBeInstanceOf(Error);
    expect(await readdir(fullDir)).toEqual([]);
  });

  it('encodeAac on a full disk: MUX_DISK_FULL from its encoders, nothing left', async (context) => {
    if (fullSkip) context.skip(fullSkip);
    const output = join(fullDir, 'audio.aac');
    const error = await failure(encodeAac({ wav: noiseWav, output, bitrate: '256k', parallelism: 2 }));
    expect(error).toBeInstanceOf(MuxError);
    expect(error.code).toBe('MUX_DISK_FULL');
    expect(error.message).toMatch(/^ffmpeg failed: No space left on device/);
    expect(await readdir(fullDir)).toEqual([]);
  });

  it('a TS written by our own writer on a full disk: MUX_DISK_FULL with the ENOSPC as its cause', async (context) => {
    if (fullSkip) context.skip(fullSkip);
    const output = join(fullDir, 'recording.ts');
    const error = await failure(
      writeRecording({ audio: { adts, offset: 0 }, window: { start: 0, end: 60 }, output, format: 'ts' }),
    );
    expect(error).toBeInstanceOf(MuxError);
    expect(error).toMatchObject({
      code: 'MUX_DISK_FULL',
      message: `cannot write ${output}.part: no space left on device (ENOSPC)`,
      file: `${output}.part`,
      cause: { code: 'ENOSPC' },
    });
    expect(await readdir(fullDir)).toEqual([]);
  });

  it('names a read-only file system and the file', async (context) => {
    if (readOnlySkip) context.skip(readOnlySkip);
    const output = join(readOnlyDir, 'recording.mp4');
    const error = await failure(
      writeRecording({ audio: { adts, offset: 0 }, window: { start: 0, end: 2 }, output }),
    );
    expect(error.code).toBe('FFMPEG_FAILED');
    expect(error.message).toBe(`ffmpeg failed: ${output}.part: Read-only file system (exited with code 1)`);
  });

  it('names an input that is no media', async () => {
    const text = path('text.ts');
    await writeFile(text, 'hello, not media at all\n'.repeat(50));
    const error = await failure(
      runFfmpeg({ inputs: [{ source: `file:${text}` }], outputs: [{ target: `file:${path('y.mp4')}` }] }),
    );
    expect(error.message).toBe(
      `ffmpeg failed: ${text}: Invalid data found when processing input (exited with code 1)`,
    );
    // writeRecording with an AAC input that is garbage: ffmpeg's words differ (4.1 "Invalid data
    // found...", 5.1 "End of file"), the line names the input either way.
    const bad = path('bad.aac');
    await writeFile(bad, 'hello, not AAC\n'.repeat(50));
    const recording = await failure(
      writeRecording({
        audio: { adts: bad, offset: 0 },
        window: { start: 0, end: 2 },
        output: path('r.mp4'),
      }),
    );
    expect(recording.code).toBe('FFMPEG_FAILED');
    expect(recording.message).toMatch(
      new RegExp(`^ffmpeg failed: ${bad}: [^\\n]+ \\(exited with code 1\\)$`),
    );
  });
});
