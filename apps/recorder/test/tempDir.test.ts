import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { makeAudioSegments, makeTempDir, makeVideoSegments, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { FfmpegStep, writeFfmpegWrapper } from './helpers/ffmpegWrapper.js';
import { files } from './helpers/media.js';
import { runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const camera = 'cam03';
const windowArgs = ['--start', String(E0 + 1.3), '--end', String(E0 + 8.7)];

/** Every file under `dir` with its bytes, keyed by its path relative to `dir`. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  for await (const file of files(dir)) found.set(relative(dir, file), await readFile(file));
  return found;
}

describe('recorder temp dir: rec deletes only the job directory it made', () => {
  let dir: TempDir;
  let media: string;
  /** An ffmpeg that fails the AAC encode: a run that fails after it has set up its job directory. */
  let failingFfmpeg: string;

  beforeAll(async () => {
    dir = await makeTempDir();
    media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera, startEpoch: E0, count: 5 });
    await makeAudioSegments({ dir: media, camera, startEpoch: E0, count: 5 });
    const bin = join(dir.path, 'bin');
    await mkdir(bin);
    failingFfmpeg = await writeFfmpegWrapper(bin, { failOn: FfmpegStep.Encode });
  }, 60_000);
  afterAll(async () => {
    await dir?.remove();
  });

  it("keeps a user's files in --temp-dir, and the output written there, through success, failure and --no-resume", async () => {
    // The case: `--temp-dir .` in a folder that holds the user's work.
    const work = join(dir.path, 'work');
    await mkdir(join(work, 'notes'), { recursive: true });
    await writeFile(join(work, 'notes/todo.txt'), 'buy milk\n');
    await writeFile(join(work, 'take1.mp4'), randomBytes(100_000));
    // Named like ours, but not ours (no marker).
    await mkdir(join(work, 'rec-recorder-mine'));
    await writeFile(join(work, 'rec-recorder-mine/keep.bin'), randomBytes(1000));
    const mine = await snapshot(work);
    const output = join(work, 'out.mp4');
    const args = ['--source', media, '--prefix', camera, ...windowArgs, '-o', output, '--temp-dir', work];

    const ok = await runCli([...args, '--json']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const recording = await readFile(output);
    expect(recording.length).toBeGreaterThan(10_000);
    // The user's files, byte for byte, and the recording: nothing else left (the job directory is gone).
    expect(await snapshot(work)).toEqual(new Map([...mine, ['out.mp4', recording]]));

    const failed = await runCli([...args, '--ffmpeg', failingFfmpeg]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/FFMPEG_FAILED/);
    const afterFailure = await snapshot(work);
    // The failed run kept its job directory (for a resume), and only that; the output is untouched.
    const jobFiles = [...afterFailure.keys()].filter((path) => !mine.has(path) && path !== 'out.mp4');
    expect(jobFiles.length).toBeGreaterThan(0);
    expect(new Set(jobFiles.map((path) => path.split('/')[0]))).toEqual(
      new Set([expect.stringMatching(/^rec-recorder-[0-9a-f]{16}$/)]),
    );
    expect(jobFiles).toContain(`${jobFiles[0]?.split('/')[0]}/.rec-recorder-job.json`);
    for (const [path, bytes] of [...mine, ['out.mp4', recording] as const]) {
      expect(afterFailure.get(path)?.equals(bytes), path).toBe(true);
    }

    const restarted = await runCli([...args, '--no-resume']);
    expect(restarted.code).toBe(0);
    expect(await snapshot(work)).toEqual(new Map([...mine, ['out.mp4', recording]]));

    // --no-resume that fails: it emptied its own job directory, nothing more.
    const failedAgain = await runCli([...args, '--no-resume', '--ffmpeg', failingFfmpeg]);
    expect(failedAgain.code).toBe(1);
    const last = await snapshot(work);
    for (const [path, bytes] of [...mine, ['out.mp4', recording] as const]) {
      expect(last.get(path)?.equals(bytes), path).toBe(true);
    }
  });

  it('never removes the temp dir itself, even when the run made it', async () => {
    const parent = join(dir.path, 'made-by-run', 'tmp');
    const output = join(dir.path, 'made-by-run', 'out.ts');
    const run = await runCli([
      '--source',
      media,
      '--prefix',
      camera,
      ...windowArgs,
      '-o',
      output,
      '--temp-dir',
      parent,
    ]);
    expect(run.code).toBe(0);
    expect(await readdir(parent)).toEqual([]);
    expect(await readdir(join(dir.path, 'made-by-run'))).toEqual(['out.ts', 'tmp']);
  });

  it('fails before any work when the output cannot be written, naming it, and leaves no file', async () => {
    const blocked = join(dir.path, 'blocked');
    await writeFile(blocked, 'a file where the output directory should be');
    const output = join(blocked, 'out.mp4');
    const parent = join(dir.path, 'blocked-tmp');
    const run = record({
      source: { type: 'local', root: media, prefix: camera },
      start: E0 + 1.3,
      end: E0 + 8.7,
      output,
      format: 'mp4',
      tempDir: parent,
      onProgress: (progress) => expect(progress.phase).toBe('list'),
    });
    const error = await run.then(
      () => undefined,
      (failure: Error & { code?: string }) => failure,
    );
    expect(error?.code).toBe('RECORDER_OUTPUT');
    expect(error?.message).toMatch(
      /^Cannot create the output directory \S+\/blocked: file already exists \(EEXIST\)$/,
    );
    // The failed run's job directory holds no download and no work file.
    const [job] = await readdir(parent);
    expect((await readdir(join(parent, job ?? ''))).sort()).toEqual(['.rec-recorder-job.json', 'segments']);
  });

  it("takes a directory with the job's name but no marker for someone else's, and uses the next name", async () => {
    const parent = join(dir.path, 'lookalike');
    const options: RecordOptions = {
      source: { type: 'local', root: media, prefix: camera },
      start: E0 + 1.3,
      end: E0 + 8.7,
      output: join(dir.path, 'lookalike-out', 'a.ts'),
      format: 'ts',
      tempDir: parent,
      keepTemp: true,
    };
    const first = await record(options);
    expect(first.tempDir).toMatch(new RegExp(`^${parent}/rec-recorder-[0-9a-f]{16}$`));
    // Someone replaces it with a directory of their own under the same name.
    await rm(first.tempDir, { recursive: true });
    await mkdir(first.tempDir);
    await writeFile(join(first.tempDir, 'theirs.txt'), 'not yours');
    const second = await record({ ...options, keepTemp: false });
    expect(second.tempDir).toBe(`${first.tempDir}-2`);
    expect(await readFile(join(first.tempDir, 'theirs.txt'), 'utf8')).toBe('not yours');
    expect((await readdir(parent)).sort()).toEqual([basename(first.tempDir)]);
  });
});
