import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_LOCK, JOB_MARKER, openJobDir } from '../src/jobDir.js';
import { tryLock } from '../src/jobLock.js';
import { stageOutput } from '../src/stagedOutput.js';

/** The pid of a process that has exited (what a kill -9 leaves in its lock). */
const deadPid = () =>
  Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));

const lockOf = (pid: number, host = hostname()) =>
  JSON.stringify({ pid, hostname: host, startedAt: new Date().toISOString(), nonce: 'abcdef012345' });

describe('job directories: one per live run, ours only when marked, taken over from dead runs', () => {
  let dir: TempDir;
  let serial = 0;
  /** A fresh parent (temp dir) per test. */
  const parent = () => join(dir.path, `p${serial++}`);
  const open = (path: string, resume = true) =>
    openJobDir({ parent: path, id: '0123456789abcdef', description: { source: 'test' }, resume });

  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it('gives a second live run the next directory, and a released one back with its downloads', async () => {
    const temp = parent();
    const first = await open(temp);
    expect(first.path).toBe(join(temp, 'rec-recorder-0123456789abcdef'));
    await writeFile(join(first.segments, 'a.h264'), 'video');
    const second = await open(temp);
    expect(second.path).toBe(`${first.path}-2`);
    await first.release();
    const third = await open(temp);
    expect(third.path).toBe(first.path);
    expect(await readFile(join(third.segments, 'a.h264'), 'utf8')).toBe('video');
    await Promise.all([second.remove(), third.remove()]);
    expect(await readdir(temp)).toEqual([]);
  });

  it("takes over a dead run's directory: its downloads kept, its work files and its files beside the output gone", async () => {
    const temp = parent();
    const killed = await open(temp);
    await writeFile(join(killed.segments, 'a.wav'), 'audio');
    await writeFile(join(killed.work, 'audio.aac.part'), 'half');
    const staged = await stageOutput(join(dir.path, 'outputs', 'out.mp4'), killed);
    await writeFile(`${staged.temp}.part`, 'half a recording');
    // kill -9: nothing released; the lock names a pid that is gone.
    await writeFile(join(killed.path, JOB_LOCK), lockOf(deadPid()));

    const next = await open(temp);
    expect(next.path).toBe(killed.path);
    expect(await readFile(join(next.segments, 'a.wav'), 'utf8')).toBe('audio');
    // Its list of files beside the output is kept (an ffmpeg it left running may write one again).
    expect((await readdir(next.path)).sort()).toEqual(
      [JOB_LOCK, JOB_MARKER, '.rec-recorder-strays.json', 'segments', `run-${next.runId}`].sort(),
    );
    expect(await readdir(join(dir.path, 'outputs'))).toEqual([]);
    await writeFile(`${staged.temp}.part`, 'written again by an orphaned ffmpeg');
    await next.remove();
    expect(await readdir(join(dir.path, 'outputs'))).toEqual([]);
  });

  it('leaves the lock of a live process, or of another host, alone', async () => {
    const temp = parent();
    const held = await open(temp);
    await writeFile(join(held.path, JOB_LOCK), lockOf(process.pid));
    expect((await open(temp)).path).toBe(`${held.path}-2`);
    await writeFile(join(held.path, JOB_LOCK), lockOf(deadPid(), 'another-host'));
    expect((await open(temp)).path).toBe(`${held.path}-3`);
  });

  it('lets exactly one of many runs that find the same stale lock take it', async () => {
    const temp = parent();
    await mkdir(temp);
    for (let round = 0; round < 5; round++) {
      const path = join(temp, `lock-${round}`);
      await writeFile(path, lockOf(deadPid()));
      const locks = await Promise.all(Array.from({ length: 8 }, () => tryLock(path)));
      const winners = locks.filter((lock) => lock !== undefined);
      expect(winners).toHaveLength(1);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(winners[0]?.owner);
      await winners[0]?.release();
      expect(await readdir(temp)).not.toContain(`lock-${round}`);
    }
    expect(await readdir(temp)).toEqual([]); // no temp or breaker file left
  });

  it('resume: false empties the job directory, and nothing outside it', async () => {
    const temp = parent();
    await mkdir(temp);
    await writeFile(join(temp, 'mine.txt'), 'mine');
    const first = await open(temp);
    await writeFile(join(first.segments, 'a.h264'), 'video');
    await first.release();
    const fresh = await open(temp, false);
    expect(await readdir(fresh.segments)).toEqual([]);
    await fresh.remove();
    expect(await readdir(temp)).toEqual(['mine.txt']);
  });

  it("never takes a file, a symlink or a non-empty unmarked directory of the job's name", async () => {
    const temp = parent();
    const name = join(temp, 'rec-recorder-0123456789abcdef');
    await mkdir(join(dir.path, 'elsewhere'), { recursive: true });
    await mkdir(temp);
    await writeFile(name, 'a file');
    await symlink(join(dir.path, 'elsewhere'), `${name}-2`);
    await mkdir(`${name}-3`);
    await writeFile(join(`${name}-3`, 'x'), 'theirs');
    // An empty unmarked one (a run killed between mkdir and its marker) holds nothing to lose.
    await mkdir(`${name}-4`);
    const job = await open(temp);
    expect(job.path).toBe(`${name}-4`);
    await job.remove();
    expect((await readdir(temp)).sort()).toEqual(
      [
        'rec-recorder-0123456789abcdef',
        'rec-recorder-0123456789abcdef-2',
        'rec-recorder-0123456789abcdef-3',
      ].sort(),
    );
    expect(await readdir(join(dir.path, 'elsewhere'))).toEqual([]);
  });

  it('says which directory it cannot use, with the reason', async () => {
    const blocked = join(dir.path, 'not-a-dir');
    await writeFile(blocked, '');
    await expect(open(join(blocked, 'tmp'))).rejects.toMatchObject({
      code: 'RECORDER_TEMP_DIR',
      message: expect.stringMatching(/^Cannot create the temp dir .*not-a-dir\/tmp: .*\(ENOTDIR\)$/),
    });
  });
});
