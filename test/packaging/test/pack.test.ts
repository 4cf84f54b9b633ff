/**
 * What npm users get: every publishable package packed with `pnpm pack`
 * (its `prepack` builds `dist/`), the tarballs installed into an empty npm
 * project, each library imported and each CLI run from there, with no file
 * of this repository on the resolution path.
 */
import { execFile as execFileCallback, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startRedis } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFile = promisify(execFileCallback);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const libraries = ['core', 'fmp4-boxes', 'mpd', 'es-ts', 's3-segments', 'mux'];
const apps = ['recorder', 'dashget', 'mp4dump'];
const publishable = [...libraries.map((name) => `packages/${name}`), ...apps.map((name) => `apps/${name}`)];

let work: string;
let project: string;
const tarballs = new Map<string, string>();

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports: Record<string, unknown>;
  files?: string[];
}

const readManifest = async (dir: string): Promise<Manifest> =>
  JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;

/** pnpm 10 pinned as the README does, through npx. */
const pnpm = (args: string[], cwd: string) =>
  execFile('npx', ['-y', 'pnpm@10.34.9', ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rec-pack-'));
  const packs = join(work, 'tarballs');
  await mkdir(packs);
  // Two at a time: each build is mostly one core's worth of tsc.
  const queue = [...publishable];
  await Promise.all(
    [0, 1].map(async () => {
      for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
        await pnpm(['pack', '--pack-destination', packs], join(root, dir));
        const { name, version } = await readManifest(join(root, dir));
        // pnpm's tarball name: `@scope/name@1.2.3` -> `scope-name-1.2.3.tgz`.
        const filename = join(packs, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
        tarballs.set(name, filename);
      }
    }),
  );
  project = join(work, 'project');
  await mkdir(project);
  const files = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));
  // `overrides` makes the packages' dependencies on each other resolve to these tarballs, never the registry.
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: files,
      overrides: files,
    }),
  );
  await execFile('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    maxBuffer: 64 * 1024 * 1024,
  });
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('tarballs', () => {
  it('hold dist, LICENSE, README and a package.json without the source condition', async () => {
    for (const dir of publishable) {
      const manifest = await readManifest(join(root, dir));
      const installed = join(project, 'node_modules', manifest.name);
      const shipped = await readManifest(installed);
      expect(JSON.stringify(shipped.exports)).not.toContain('@rec/source');
      expect(JSON.stringify(shipped)).not.toContain('workspace:');
      expect(JSON.stringify(shipped)).not.toContain('catalog:');
      const entries = await readdir(installed);
      expect(entries).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist', 'package.json']));
      expect(entries).not.toContain('src');
      expect(await readFile(join(installed, 'LICENSE'), 'utf8')).toContain('MIT License');
    }
  });
});

describe('libraries', () => {
  it.each(libraries)('@rec/%s imports from the installed tarball, with its types', async (name) => {
    const script = `const m = await import('@rec/${name}'); console.log(JSON.stringify(Object.keys(m)));`;
    const { stdout } = await execFile(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
    });
    expect((JSON.parse(stdout) as string[]).length).toBeGreaterThan(0);
    const shipped = await readManifest(join(project, 'node_modules', `@rec/${name}`));
    for (const target of Object.values(shipped.exports)) {
      if (typeof target !== 'object' || target === null) continue;
      for (const file of Object.values(target as Record<string, string>)) {
        await expect(readFile(join(project, 'node_modules', `@rec/${name}`, file))).resolves.toBeDefined();
      }
    }
  });

  it('@rec/core/node is its own entry', async () => {
    const script = `const m = await import('@rec/core/node'); console.log(typeof m.withAtomicFile);`;
    const { stdout } = await execFile(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
    });
    expect(stdout.trim()).toBe('function');
  });
});

describe('CLIs', () => {
  it.each(apps)('%s --version prints the package version and --help exits 0', async (name) => {
    const { version } = await readManifest(join(root, 'apps', name));
    const bin = join(project, 'node_modules', '.bin', name);
    const printed = await execFile(bin, ['--version'], { cwd: project });
    expect(printed.stdout.trim()).toBe(version);
    const help = await execFile(bin, ['--help'], { cwd: project });
    expect(help.stdout).toContain(name);
  });

  it('recorder makes a real MP4 from the demo segments, from the installed package', async () => {
    const output = join(work, 'out.mp4');
    const bin = join(project, 'node_modules', '.bin', 'recorder');
    const { stdout } = await execFile(
      bin,
      [
        '--source',
        join(root, 'fixtures/demo'),
        '--prefix',
        'recordings/cam01',
        '--start',
        '1700000010',
        '--end',
        '1700000016',
        '-o',
        output,
        '--json',
      ],
      { cwd: project, env: { ...process.env, FFMPEG_PATH: '', FFPROBE_PATH: '' } },
    );
    const summary = JSON.parse(stdout) as { durationSeconds: number; output: string };
    expect(summary.durationSeconds).toBeCloseTo(6, 1);
    // The installed @rec/mux ships its own ffprobe: check the file with it, as a user would.
    const ffprobe = join(project, 'node_modules', '@ffprobe-installer', 'linux-x64', 'ffprobe');
    const probed = await execFile(ffprobe, [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name',
      '-of',
      'csv=p=0',
      output,
    ]);
    expect(probed.stdout.trim().split('\n').sort()).toEqual(['aac', 'h264']);
  });

  it('recorder worker runs a submitted job from the installed package (its recording process is in dist), the same bytes as a direct run', async () => {
    const bin = join(project, 'node_modules', '.bin', 'recorder');
    const env = { ...process.env, FFMPEG_PATH: '', FFPROBE_PATH: '' };
    const window = ['--source', join(root, 'fixtures/demo'), '--prefix', 'recordings/cam01'];
    window.push('--start', '1700000010', '--end', '1700000016');
    const direct = join(work, 'direct.mp4');
    const queued = join(work, 'queued.mp4');
    await execFile(bin, [...window, '-o', direct], { cwd: project, env });
    const redis = await startRedis();
    const queue = ['--redis', redis.url, '--queue', 'packaging'];
    const worker = spawn(bin, ['worker', ...queue], { cwd: project, env, stdio: 'ignore' });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    try {
      const { stdout } = await execFile(
        bin,
        ['submit', ...queue, '--wait', '--json', ...window, '-o', queued],
        {
          cwd: project,
          env,
        },
      );
      expect(JSON.parse(stdout)).toMatchObject({ output: queued });
      expect((await readFile(queued)).equals(await readFile(direct))).toBe(true);
    } finally {
      worker.kill('SIGTERM');
      await exited;
      await redis.stop();
    }
  });
});
