import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

/** What can go wrong with one response. */
export type Fault =
  | { kind: 'status'; status: 404 | 500 | 503 }
  /** Sends headers and `afterBytes` of the body, then resets the TCP connection. */
  | { kind: 'reset'; afterBytes: number }
  /** Sends the body at `bytesPerSecond`. */
  | { kind: 'slow'; bytesPerSecond: number }
  /** Announces the full Content-Length, sends `afterBytes`, then ends the connection cleanly. */
  | { kind: 'truncate'; afterBytes: number };

export interface FaultRule {
  /** Request path (exact) or pattern. */
  path: string | RegExp;
  fault: Fault;
  /** Apply to the first `times` matching requests only (default: every one). */
  times?: number;
}

/** Faults drawn per request from a seed: the same seed fails the same requests. */
export interface SeededFaults {
  seed: number;
  /** Chance in [0, 1] that a request gets a fault. */
  probability: number;
  kinds: readonly Fault[];
  /** Attempts after this many per path are always served cleanly (default 2), so retries can win. */
  maxPerPath?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  range: string | undefined;
  status: number;
  fault: Fault['kind'] | undefined;
}

export interface HttpTestServerOptions {
  /** Serve files from this directory. */
  root?: string;
  /** Serve these bodies by path (checked before `root`). */
  files?: Record<string, Uint8Array | string>;
  faults?: readonly FaultRule[];
  seeded?: SeededFaults;
}

export interface HttpTestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request served, in arrival order. */
  requests: RequestRecord[];
  stop(): Promise<void>;
}

/** 32-bit FNV-1a, enough to spread (seed, path, attempt) over [0, 2^32). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The fault (if any) the seeded plan gives to attempt `attempt` (0-based) of `path`. */
export function seededFault(plan: SeededFaults, path: string, attempt: number): Fault | undefined {
  if (attempt >= (plan.maxPerPath ?? 2) || plan.kinds.length === 0) return undefined;
  const h = hash32(`${plan.seed}:${path}:${attempt}`);
  if (h / 2 ** 32 >= plan.probability) return undefined;
  return plan.kinds[h % plan.kinds.length];
}

interface Body {
  size: number;
  open(start: number, end: number): AsyncIterable<Uint8Array>;
}

async function* slice(bytes: Uint8Array, start: number, end: number): AsyncIterable<Uint8Array> {
  const chunk = 64 * 1024;
  for (let at = start; at <= end; at += chunk) yield bytes.subarray(at, Math.min(end + 1, at + chunk));
}

/** Parses a single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; `null` when unsatisfiable. */
function parseRange(header: string, size: number): { start: number; end: number } | null | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, a = '', b = ''] = match;
  let start: number;
  let end: number;
  if (a === '') {
    if (b === '') return undefined;
    start = Math.max(0, size - Number(b));
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  return start > end || start >= size ? null : { start, end };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real HTTP server on 127.0.0.1 for DASH tests: static files with `Range`
 * and `Content-Length`, plus fault injection per request.
 */
export async function startHttpServer(options: HttpTestServerOptions): Promise<HttpTestServer> {
  const requests: RequestRecord[] = [];
  const ruleHits = new Map<FaultRule, number>();
  const attempts = new Map<string, number>();

  const findBody = async (path: string): Promise<Body | undefined> => {
    const inline = options.files?.[path];
    if (inline !== undefined) {
      const bytes = typeof inline === 'string' ? new TextEncoder().encode(inline) : inline;
      return { size: bytes.length, open: (start, end) => slice(bytes, start, end) };
    }
    if (options.root === undefined) return undefined;
    const file = normalize(join(options.root, decodeURIComponent(path)));
    if (!file.startsWith(normalize(options.root) + sep)) return undefined;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { size: info.size, open: (start, end) => createReadStream(file, { start, end }) };
  };

  const pickFault = (path: string): Fault | undefined => {
    const attempt = attempts.get(path) ?? 0;
    attempts.set(path, attempt + 1);
    for (const rule of options.faults ?? []) {
      const matches = typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
      if (!matches) continue;
      const hits = ruleHits.get(rule) ?? 0;
      if (rule.times !== undefined && hits >= rule.times) continue;
      ruleHits.set(rule, hits + 1);
      return rule.fault;
    }
    return options.seeded ? seededFault(options.seeded, path, attempt) : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path,
      range: req.headers.range,
      status: 200,
      fault: undefined,
    };
    requests.push(record);
    const fault = pickFault(path);
    record.fault = fault?.kind;
    if (fault?.kind === 'status') {
      record.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`injected ${fault.status}\n`);
      return;
    }
    const body = await findBody(path);
    if (!body) {
      record.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    let start = 0;
    let end = body.size - 1;
    const headers: Record<string, string | number> = { 'accept-ranges': 'bytes' };
    if (req.headers.range !== undefined) {
      const range = parseRange(req.headers.range, body.size);
      if (range === null) {
        record.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${body.size}` }).end();
        return;
      }
      if (range) {
        ({ start, end } = range);
        record.status = 206;
        headers['content-range'] = `bytes ${start}-${end}/${body.size}`;
      }
    }
    headers['content-length'] = end - start + 1;
    res.writeHead(record.status, headers);
    if (req.method === 'HEAD' || body.size === 0) {
      res.end();
      return;
    }
    let sent = 0;
    const limit =
      fault?.kind === 'reset' || fault?.kind === 'truncate' ? fault.afterBytes : Number.POSITIVE_INFINITY;
    for await (const chunk of body.open(start, end)) {
      const part = chunk.subarray(0, Math.max(0, limit - sent));
      if (part.length > 0) {
        if (fault?.kind === 'slow') {
          // Pace in small pieces so the client sees a steady trickle.
          const step = Math.max(1, Math.floor(fault.bytesPerSecond / 20));
          for (let at = 0; at < part.length; at += step) {
            res.write(part.subarray(at, at + step));
            await sleep(50);
          }
        } else if (!res.write(part)) {
          await new Promise((resolve) => res.once('drain', resolve));
        }
        sent += part.length;
      }
      if (sent >= limit) break;
    }
    if (fault?.kind === 'reset') {
      req.socket.resetAndDestroy();
    } else if (fault?.kind === 'truncate') {
      // Flush what was written, then close without the rest of the body.
      req.socket.end();
    } else {
      res.end();
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
