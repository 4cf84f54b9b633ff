import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRedisServer } from './redisBinary.js';

export interface RedisTestServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The redis-server process id (to check that it is gone). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * The guard between us and redis-server: redis-server has no "exit with my
 * parent" option, so a small Node process starts it and kills it when its
 * IPC channel to us closes, which happens however the test process ends
 * (a crash, a kill -9), as s3rverProcess.mjs does for s3rver.
 */
const guard = `
const { spawn } = require('node:child_process');
const [bin, ...args] = process.argv.slice(1);
const redis = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });
redis.on('error', (error) => { process.send?.({ error: error.message }); process.exit(1); });
redis.on('spawn', () => process.send?.({ pid: redis.pid }));
redis.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
process.on('disconnect', () => redis.kill('SIGTERM'));
`;

/** A port free on 127.0.0.1 a moment ago (redis-server cannot pick its own: `--port 0` turns TCP off). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('No TCP port for redis-server');
  return address.port;
}

/** One redis-server on `port`; rejects if it exits before it is ready (the port taken meanwhile). */
async function launch(
  redis: { bin: string; env: NodeJS.ProcessEnv },
  port: number,
  dir: string,
): Promise<{ child: ChildProcess; pid: number }> {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
    // Throwaway: nothing written to disk.
    ...['--save', '', '--appendonly', 'no'],
    // What BullMQ requires of a Redis it runs on: a full memory refuses writes instead of dropping job keys.
    ...['--maxmemory-policy', 'noeviction'],
    ...['--loglevel', 'notice', '--logfile', '', '--daemonize', 'no'],
  ];
  const child = spawn(process.execPath, ['-e', guard, redis.bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: redis.env,
  });
  let log = '';
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const pid = await new Promise<number>((resolve, reject) => {
    let redisPid: number | undefined;
    const onExit = (code: number | null) =>
      reject(new Error(`redis-server exited with code ${code} before it was ready:\n${log}`));
    child.once('exit', onExit);
    child.on('message', (message: { pid?: number; error?: string }) => {
      if (message.error) reject(new Error(`Cannot start redis-server: ${message.error}`));
      redisPid = message.pid ?? redisPid;
    });
    const onData = () => {
      if (!log.includes('Ready to accept connections') || redisPid === undefined) return;
      child.off('exit', onExit);
      child.stdout?.off('data', onData);
      resolve(redisPid);
    };
    child.stdout?.on('data', onData);
    child.on('message', onData);
  });
  // Nobody reads the log from now on: keep the pipes flowing.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, pid };
}

/**
 * Starts a throwaway redis-server (Debian's `redis-server`, 7.x, found or
 * fetched by `findRedisServer`) on a free
 * 127.0.0.1 port, in a temp dir, with no persistence and
 * `maxmemory-policy noeviction`. It stops with `stop()`, or by itself when
 * the test process ends.
 */
export async function startRedis(
  options: { bin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RedisTestServer> {
  const redis =
    options.bin === undefined ? findRedisServer() : { bin: options.bin, env: options.env ?? process.env };
  const dir = await mkdtemp(join(tmpdir(), 'rec-redis-'));
  let started: { child: ChildProcess; pid: number; port: number } | undefined;
  let lastError: unknown;
  // Another process may take the free port before redis-server binds it: try a few.
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    const port = await freePort();
    try {
      started = { ...(await launch(redis, port, dir)), port };
    } catch (error) {
      lastError = error;
    }
  }
  if (!started) {
    await rm(dir, { recursive: true, force: true });
    throw lastError;
  }
  const { child, pid, port } = started;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.disconnect();
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
