import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRedisServer, startRedis } from '../src/index.js';

/** One command over RESP, the whole first reply. */
function ask(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    socket.once('data', (data) => {
      resolve(data.toString('utf8'));
      socket.end();
    });
    socket.once('error', reject);
  });
}

const aptWorks =
  spawnSync('apt-get', ['--version']).status === 0 && spawnSync('dpkg-deb', ['--version']).status === 0;

describe('startRedis', () => {
  it('runs a throwaway redis-server with noeviction and no persistence, gone after stop()', async () => {
    const redis = await startRedis();
    expect(await ask(redis.port, 'PING')).toBe('+PONG\r\n');
    expect(await ask(redis.port, 'CONFIG GET maxmemory-policy')).toContain('noeviction');
    expect(await ask(redis.port, 'CONFIG GET appendonly')).toContain('appendonly\r\n$2\r\nno');
    expect(await ask(redis.port, 'CONFIG GET save')).toContain('save\r\n$0\r\n');
    await redis.stop();
    expect(() => process.kill(redis.pid, 0)).toThrow();
  });
});

describe.runIf(aptWorks)('findRedisServer without one on PATH (a newcomer without root)', () => {
  let cacheDir: string | undefined;
  afterAll(async () => {
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it("fetches Debian's packages with apt-get download, unpacks them once, and the server runs", async () => {
    const parent = await mkdtemp(join(tmpdir(), 'rec-redis-cache-'));
    cacheDir = parent;
    const dir = join(parent, 'redis');
    const fetched = findRedisServer({ cacheDir: dir, skipPath: true });
    expect(fetched.from).toBe('debian-packages');
    expect(existsSync(join(dir, 'usr/bin/redis-check-rdb'))).toBe(true);
    const version = spawnSync(fetched.bin, ['--version'], { env: fetched.env, encoding: 'utf8' });
    expect(version.stdout).toMatch(/^Redis server v=7\./);
    // The second call reuses the unpacked copy.
    const again = findRedisServer({ cacheDir: dir, skipPath: true });
    expect(again.bin).toBe(fetched.bin);
    const redis = await startRedis({ bin: fetched.bin, env: fetched.env });
    expect(await ask(redis.port, 'PING')).toBe('+PONG\r\n');
    await redis.stop();
  }, 120_000);
});
