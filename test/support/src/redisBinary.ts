import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server to run, and what its environment needs (the libraries of an unpacked one). */
export interface RedisBinary {
  bin: string;
  env: NodeJS.ProcessEnv;
  /** Where it came from: `REDIS_SERVER`, `PATH`, or Debian's packages unpacked under `dir`. */
  from: 'REDIS_SERVER' | 'PATH' | 'debian-packages';
}

/** Debian's packages that hold redis-server 7 and the libraries a base system lacks. */
const DEBIAN_PACKAGES = ['redis-tools', 'libjemalloc2', 'liblzf1'];

/** The default cache of unpacked packages: one download per machine, shared by every test run. */
export const REDIS_CACHE_DIR = join(tmpdir(), 'rec-test-redis-server');

function runs(bin: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
  return !probe.error && probe.status === 0 && probe.stdout.startsWith('Redis server');
}

/** The binary and library path of packages unpacked under `root`. */
function unpacked(root: string): RedisBinary {
  const libs = ['usr/lib', 'lib']
    .map((dir) => join(root, dir))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir, { withFileTypes: true }).map((entry) => join(dir, entry.name)));
  const libraryPath = [...libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return {
    bin: join(root, 'usr/bin/redis-server'),
    env: { ...process.env, LD_LIBRARY_PATH: libraryPath },
    from: 'debian-packages',
  };
}

/**
 * Downloads Debian's redis packages with `apt-get download` (no root
 * needed: it only reads the package lists and writes to the current
 * directory) and unpacks them with `dpkg-deb -x` under `cacheDir`. Debian's
 * redis-server is a link to redis-check-rdb (the binary picks its role from
 * its name), so the link is made too. Unpacked in a temp dir and renamed
 * into place, so concurrent test workers never see half a tree.
 */
function downloadDebianRedis(cacheDir: string): RedisBinary {
  const work = mkdtempSync(`${cacheDir}.download-`);
  try {
    const download = spawnSync('apt-get', ['download', ...DEBIAN_PACKAGES], { cwd: work, encoding: 'utf8' });
    if (download.error || download.status !== 0) {
      throw new Error(
        `apt-get download ${DEBIAN_PACKAGES.join(' ')} failed (${download.error?.message ?? download.stderr.trim().split('\n').at(-1)})`,
      );
    }
    const root = join(work, 'root');
    for (const deb of readdirSync(work).filter((name) => name.endsWith('.deb'))) {
      const unpack = spawnSync('dpkg-deb', ['-x', join(work, deb), root], { encoding: 'utf8' });
      if (unpack.error || unpack.status !== 0) {
        throw new Error(`dpkg-deb -x ${deb} failed (${unpack.error?.message ?? unpack.stderr.trim()})`);
      }
    }
    symlinkSync('redis-check-rdb', join(root, 'usr/bin/redis-server'));
    const fresh = unpacked(root);
    if (!runs(fresh.bin, fresh.env)) throw new Error('the unpacked redis-server does not run');
    try {
      renameSync(root, cacheDir);
    } catch (error) {
      // Another worker got there first: use its copy.
      if (!existsSync(cacheDir)) throw error;
    }
    return unpacked(cacheDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The redis-server the job tests run: `REDIS_SERVER` (a path) when set,
 * else the one on PATH (Debian's `redis-server` package, which `.ci/run`
 * installs as root), else Debian's packages downloaded and unpacked once
 * into a cache (a newcomer's machine without root), else a clear error.
 */
export function findRedisServer(options: { cacheDir?: string; skipPath?: boolean } = {}): RedisBinary {
  const fromEnv = process.env.REDIS_SERVER;
  if (fromEnv) {
    if (!runs(fromEnv)) throw new Error(`REDIS_SERVER=${fromEnv} does not run as redis-server --version`);
    return { bin: fromEnv, env: process.env, from: 'REDIS_SERVER' };
  }
  if (!options.skipPath && runs('redis-server'))
    return { bin: 'redis-server', env: process.env, from: 'PATH' };
  const cacheDir = options.cacheDir ?? REDIS_CACHE_DIR;
  const cached = unpacked(cacheDir);
  if (existsSync(cached.bin) && runs(cached.bin, cached.env)) return cached;
  rmSync(cacheDir, { recursive: true, force: true });
  try {
    return downloadDebianRedis(cacheDir);
  } catch (error) {
    throw new Error(
      `No redis-server: the job tests need a real Redis, none is on PATH, and Debian's packages could not be fetched (${(error as Error).message}). Install it (sudo apt-get install redis-server) or set REDIS_SERVER to its path.`,
      { cause: error },
    );
  }
}
