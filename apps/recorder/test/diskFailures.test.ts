/**
 * A full disk and a read-only mount, for real (issue 9 item 8): small
 * tmpfs mounts, which need root (CI runs as root); skipped with the reason
 * otherwise. Each failure is one line saying what happened and where, with
 * its code, and no output is left behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  type S3TestServer,
  s3rverCredentials,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordOptions, record } from '../src/index.js';
import { treeObjects } from './helpers/media.js';
import { type CliRun, runCli } from './helpers/runCli.js';

const E0 = 1_700_000_000;
const camera = 'cam41';
const bucket = 'disks';
const window = { start: E0 + 0.5, end: E0 + 9.5 };

/** Whether this process may mount a tmpfs (root, and a kernel that lets it). */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = execFileSync('mktemp', ['-d', join(tmpdir(), 'rec-mount-probe-XXXXXX')], {
    encoding: 'utf8',
  }).trim();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    execFileSync('rmdir', [probe]);
  }
}
const mountable = canMount();
if (!mountable) console.warn('diskFailures: skipped, mounting a tmpfs needs root');

const errorLines = (run: CliRun) => run.stderr.split('\n').filter((line) => line.startsWith('recorder:'));
const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error as Error & { code?: string },
  );

describe.skipIf(!mountable)('recorder on a full disk and a read-only mount', () => {
  let dir: TempDir;
  let s3: S3TestServer;
  let media: string;
  let local: RecordOptions['source'];
  const mounts: string[] = [];
  /** A fresh tmpfs of `size` (`-o size=`), read-only with `ro`. */
  const mount = async (size: string, ro = false) => {
    const path = await mkdtemp(join(dir.path, 'mnt-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${ro ? ',ro' : ''}`, 'tmpfs', path]);
    mounts.push(path);
    return path;
  };

  beforeAll(async () => {
    dir = await makeTempDir();
    media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera, startEpoch: E0, count: 5 });
    await makeAudioSegments({ dir: media, camera, startEpoch: E0, count: 5 });
    local = { type: 'local', root: media, prefix: camera };
    s3 = await startS3Server();
    await s3.createBucket(bucket);
    await s3.putObjects(bucket, await treeObjects(media));
  }, 60_000);
  afterAll(async () => {
    for (const path of mounts) {
      execFileSync('umount', [path]);
      await rmdir(path);
    }
    await s3?.stop();
    await dir?.remove();
  });

  it('a read-only output directory: said so, not ENOENT from mkdir', async () => {
    const ro = await mount('64k', true);
    const nested = await failure(
      record({ source: local, ...window, output: join(ro, 'exports', 'out.mp4') }),
    );
    expect(nested).toMatchObject({
      code: 'RECORDER_OUTPUT',
      message: `Cannot create the output directory ${join(ro, 'exports')}: read-only file system (EROFS)`,
    });
    const run = await runCli([
      ...[
        '--source',
        media,
        '--prefix',
        camera,
        '--start',
        String(window.start),
        '--end',
        String(window.end),
      ],
      ...['-o', join(ro, 'out.ts')],
    ]);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      `recorder: Cannot write the output ${join(ro, 'out.ts')}: read-only file system (EROFS) [RECORDER_OUTPUT]`,
    ]);
  });

  it('a read-only temp dir: RECORDER_TEMP_DIR saying so', async () => {
    const ro = await mount('64k', true);
    const error = await failure(
      record({ source: local, ...window, output: join(dir.path, 'x.ts'), tempDir: join(ro, 'jobs') }),
    );
    expect(error).toMatchObject({
      code: 'RECORDER_TEMP_DIR',
      message: `Cannot create the temp dir ${join(ro, 'jobs')}: read-only file system (EROFS)`,
    });
  });

  it('a full output disk while the TS is written: RECORDER_DISK_FULL naming the file, nothing left', async () => {
    const small = await mount('64k');
    const output = join(small, 'out.ts');
    const error = await failure(record({ source: local, ...window, output, kinds: ['video'] }));
    expect(error?.code).toBe('RECORDER_DISK_FULL');
    expect(error?.message).toMatch(
      new RegExp(
        `^Cannot write the recording (${output}\\.[0-9a-f]{8}\\.part): the disk is full \\(MUX_DISK_FULL: cannot write \\1\\.part: no space left on device \\(ENOSPC\\)\\)$`,
      ),
    );
    expect(await readdir(small)).toEqual([]);
  });

  it('a full output disk under ffmpeg (MP4): one line, the disk is full, the output named', async () => {
    const small = await mount('64k');
    const output = join(small, 'out.mp4');
    const run = await runCli([
      ...[
        '--source',
        media,
        '--prefix',
        camera,
        '--start',
        String(window.start),
        '--end',
        String(window.end),
      ],
      ...['-o', output, '--temp-dir', join(dir.path, 'tmp-full')],
    ]);
    expect(run.code).toBe(1);
    const lines = errorLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^recorder: Cannot write the recording ${output}\\.[0-9a-f]{8}\\.part: the disk is full \\(.*\\[RECORDER_DISK_FULL\\]$`,
      ),
    );
    expect(await readdir(small)).toEqual([]);
  });

  it('a full temp dir while the segments download: RECORDER_DISK_FULL naming the job directory', async () => {
    const small = await mount('64k');
    const temp = join(small, 'jobs');
    const error = await failure(
      record({
        source: {
          type: 's3',
          bucket,
          prefix: camera,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          credentials: s3rverCredentials,
        },
        ...window,
        output: join(dir.path, 'x.mp4'),
        tempDir: temp,
      }),
    );
    expect(error?.code).toBe('RECORDER_DISK_FULL');
    expect(error?.message).toMatch(
      new RegExp(
        // What fills the disk first, a segment or the resume state beside it, depends on timing: both are named.
        `^Cannot download the segments into ${temp}/rec-recorder-[0-9a-f]{16}/segments and encode the audio in \\S+: the disk is full \\(LOCAL_IO: Cannot write (\\S+\\.part: ENOSPC: no space left on device, write|the resume state ${temp}/rec-recorder-[0-9a-f]{16}/segments/\\S+)\\)$`,
      ),
    );
    // The failed run keeps its job directory, for a resume once there is room.
    expect((await readdir(temp)).length).toBe(1);
  });
});
