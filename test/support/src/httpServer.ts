import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  Agent,
  createServer,
  request as forward,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

/**
 * What can go wrong with one response. The same names whether the server
 * serves files or proxies another server (e.g. the S3 test server).
 * `afterBytes` defaults to half the body.
 */
export type Fault =
  /** An error answer without the body. `code` gives it an S3 error document (`SlowDown`, `AccessDenied`). */
  | { kind: 'status'; status: number; code?: string }
  /** Sends headers and `afterBytes` of the body, then resets the TCP connection (RST). */
  | { kind: 'reset'; afterBytes?: number }
  /** Announces the full Content-Length, sends `afterBytes`, then closes the connection cleanly (FIN). */
  | { kind: 'truncate'; afterBytes?: number }
  /** A lying server: `afterBytes` of the body under a Content-Length that says so. */
  | { kind: 'short'; afterBytes?: number }
  /** Sends headers and `afterBytes` of the body, then nothing more, holding the connection open. */
  | { kind: 'stall'; afterBytes?: number }
  /** Sends the body at `bytesPerSecond`. */
  | { kind: 'slow'; bytesPerSecond: number }
  /** The full body with the byte at `at` (default 0) inverted. */
  | { kind: 'corrupt'; at?: number }
  /** Answers normally after `ms`. */
  | { kind: 'delay'; ms: number }
  /** Accepts the request and never answers (the connection stays open until the client gives up). */
  | { kind: 'hang' };

export type FaultKind = Fault['kind'];

export interface FaultRule {
  /** Request path, percent-decoded (exact), or a pattern; for S3 path-style: `/bucket/key`. */
  path: string | RegExp;
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only requests whose query string (with its `?`) matches, e.g. `/partNumber=2&/`. */
  search?: RegExp;
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
  /** Attempts after this many per request key are always served cleanly (default 2), so retries can win. */
  maxPerPath?: number;
  /** Only requests with these methods (default: any). */
  methods?: readonly string[];
}

export interface RequestRecord {
  method: string;
  /** Percent-decoded path. */
  path: string;
  /** The query string with its `?`, or `''`. */
  search: string;
  range: string | undefined;
  headers: IncomingHttpHeaders;
  /** Status sent (the upstream's when proxying); 0 when no answer was sent. */
  status: number;
  fault: FaultKind | undefined;
  /** `performance.now()` when the request arrived and when its answer ended (or was cut). */
  arrivedAt: number;
  finishedAt: number | undefined;
}

export interface HttpTestServerOptions {
  /** Serve files from this directory. */
  root?: string;
  /** Serve these bodies by path (checked before `root`). */
  files?: Record<string, Uint8Array | string>;
  /**
   * Proxy every request to this server (`http://127.0.0.1:port`) instead of
   * serving files, and inject the faults into its answers.
   */
  upstream?: string;
  /** Read at each request: a test may change the array it passed (empty it to heal the server). */
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

/** 32-bit FNV-1a, enough to spread (seed, key, attempt) over [0, 2^32). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** What a seeded plan keys its draws on: `GET /bucket/key?x-id=GetObject` (a retry sends the same). */
export function requestKey(method: string, path: string, search = ''): string {
  return `${method} ${path}${search}`;
}

/** The fault (if any) the seeded plan gives to attempt `attempt` (0-based) of the request `key`. */
export function seededFault(plan: SeededFaults, key: string, attempt: number): Fault | undefined {
  if (attempt >= (plan.maxPerPath ?? 2) || plan.kinds.length === 0) return undefined;
  const h = hash32(`${plan.seed}:${key}:${attempt}`);
  if (h / 2 ** 32 >= plan.probability) return undefined;
  return plan.kinds[h % plan.kinds.length];
}

/** The S3 error code a proxied status fault carries when the rule names none. */
const s3Codes: Readonly<Record<number, string>> = {
  403: 'AccessDenied',
  404: 'NoSuchKey',
  500: 'InternalError',
  503: 'SlowDown',
};

/** A response about to be sent: status, headers, and its body as chunks of a known or unknown length. */
interface Answer {
  status: number;
  headers: OutgoingHttpHeaders;
  /** Body length, when the headers announce one. */
  length: number | undefined;
  body: AsyncIterable<Uint8Array>;
  /** Stops producing the body (the client left, or a fault cut it). */
  cancel(): void;
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
const empty = async function* (): AsyncIterable<Uint8Array> {};

/**
 * A real HTTP server on 127.0.0.1 with fault injection per request, in one
 * of two modes: static files with `Range` and `Content-Length` (DASH tests),
 * or a proxy in front of another server (`upstream`, e.g. the S3 test
 * server) whose answers it damages. Faults come from rules (by path,
 * method, count) or from a seeded plan (the same seed damages the same
 * requests, whatever order they arrive in), with one set of names: `status`,
 * `reset`, `truncate`, `short`, `stall`, `slow`, `corrupt`, `delay`, `hang`.
 */
export async function startHttpServer(options: HttpTestServerOptions): Promise<HttpTestServer> {
  const requests: RequestRecord[] = [];
  const ruleHits = new Map<FaultRule, number>();
  const attempts = new Map<string, number>();
  const upstream = options.upstream === undefined ? undefined : new URL(options.upstream);

  const pickFault = (method: string, path: string, search: string): Fault | undefined => {
    const key = requestKey(method, path, search);
    const attempt = attempts.get(key) ?? 0;
    attempts.set(key, attempt + 1);
    for (const rule of options.faults ?? []) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.search !== undefined && !rule.search.test(search)) continue;
      const matches = typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
      if (!matches) continue;
      const hits = ruleHits.get(rule) ?? 0;
      if (rule.times !== undefined && hits >= rule.times) continue;
      ruleHits.set(rule, hits + 1);
      return rule.fault;
    }
    const plan = options.seeded;
    if (plan === undefined || (plan.methods !== undefined && !plan.methods.includes(method)))
      return undefined;
    return seededFault(plan, key, attempt);
  };

  /** The file answer: 200/206/404/416 with the bytes of a path. */
  const serveFile = async (req: IncomingMessage, path: string): Promise<Answer> => {
    const plain = (status: number, text: string): Answer => ({
      status,
      headers: { 'content-type': 'text/plain', 'content-length': text.length },
      length: text.length,
      body: slice(new TextEncoder().encode(text), 0, text.length - 1),
      cancel: () => undefined,
    });
    let size: number;
    let open: (start: number, end: number) => AsyncIterable<Uint8Array>;
    const inline = options.files?.[path];
    if (inline !== undefined) {
      const bytes = typeof inline === 'string' ? new TextEncoder().encode(inline) : inline;
      size = bytes.length;
      open = (start, end) => slice(bytes, start, end);
    } else {
      const file = options.root === undefined ? undefined : normalize(join(options.root, path));
      const root = options.root === undefined ? '' : normalize(options.root) + sep;
      const info = file?.startsWith(root) ? await stat(file).catch(() => undefined) : undefined;
      if (file === undefined || !info?.isFile()) return plain(404, 'not found\n');
      size = info.size;
      open = (start, end) => createReadStream(file, { start, end });
    }
    let start = 0;
    let end = size - 1;
    let status = 200;
    const headers: OutgoingHttpHeaders = { 'accept-ranges': 'bytes' };
    if (req.headers.range !== undefined) {
      const range = parseRange(req.headers.range, size);
      if (range === null) {
        return {
          status: 416,
          headers: { 'content-range': `bytes */${size}`, 'content-length': 0 },
          length: 0,
          body: empty(),
          cancel: () => undefined,
        };
      }
      if (range) {
        ({ start, end } = range);
        status = 206;
        headers['content-range'] = `bytes ${start}-${end}/${size}`;
      }
    }
    const length = end - start + 1;
    headers['content-length'] = length;
    const body = req.method === 'HEAD' || size === 0 ? empty() : open(start, end);
    return {
      status,
      headers,
      length: req.method === 'HEAD' ? 0 : length,
      body,
      cancel: () => (body as { destroy?: () => void }).destroy?.(),
    };
  };

  /**
   * The proxy's own connections to the upstream, closed by `stop()`: none may
   * outlive it. (On Node's global agent, a connection opened for a request
   * that never went out kept s3rver's close waiting: a Node server counts a
   * connection that has not sent its first request as busy, and its close
   * stops the headers timeout that would have ended it.)
   */
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 }); // as Node 20's global agent

  /**
   * The upstream's answer to the same request (method, path, headers and
   * body). A client that leaves takes the upstream request with it.
   */
  const proxy = (req: IncomingMessage, res: ServerResponse, target: URL): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers };
      // We stream the body at once; the upstream's 100 Continue would only be noise.
      delete headers.expect;
      const outgoing = forward(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (response) => {
          const announced = response.headers['content-length'];
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            length: req.method === 'HEAD' || announced === undefined ? undefined : Number(announced),
            body: response,
            cancel: () => response.destroy(),
          });
        },
      );
      outgoing.on('error', reject);
      // A request that has gone has no 'end' to pipe: the outgoing one would wait unsent forever.
      res.once('close', () => outgoing.destroy());
      req.pipe(outgoing);
    });

  /** Writes `answer` to `res` through `fault`; resolves when the answer is sent or cut. */
  const send = async (
    req: IncomingMessage,
    res: ServerResponse,
    answer: Answer,
    fault: Fault | undefined,
    record: RequestRecord,
  ): Promise<void> => {
    const length = answer.length ?? 0;
    const limited =
      fault?.kind === 'reset' ||
      fault?.kind === 'truncate' ||
      fault?.kind === 'short' ||
      fault?.kind === 'stall';
    // Byte faults damage bodies; without one, a reset drops the connection before any answer.
    if (limited && length === 0) {
      answer.cancel();
      if (fault.kind === 'reset') req.socket.resetAndDestroy();
      else res.writeHead(answer.status, answer.headers).end();
      record.status = fault.kind === 'reset' ? 0 : answer.status;
      return;
    }
    const limit = limited ? Math.min(length, fault.afterBytes ?? length >> 1) : Number.POSITIVE_INFINITY;
    const headers = { ...answer.headers };
    if (fault?.kind === 'short') headers['content-length'] = limit;
    record.status = answer.status;
    res.writeHead(answer.status, headers);
    let sent = 0;
    // The client may have gone already (during a `delay` fault): a 'close' heard later never comes.
    let gone = res.destroyed;
    res.once('close', () => {
      gone = true;
    });
    const flip = fault?.kind === 'corrupt' ? (fault.at ?? 0) : -1;
    for await (const chunk of answer.body) {
      if (gone || res.destroyed) break;
      let part = chunk.subarray(0, Math.max(0, limit - sent));
      if (flip >= sent && flip < sent + part.length) {
        part = Uint8Array.from(part);
        part[flip - sent] = (part[flip - sent] ?? 0) ^ 0xff;
      }
      if (part.length > 0) {
        if (fault?.kind === 'slow') {
          // Pace in small pieces so the client sees a steady trickle.
          const step = Math.max(1, Math.floor(fault.bytesPerSecond / 20));
          for (let at = 0; at < part.length && !gone; at += step) {
            res.write(part.subarray(at, at + step));
            await sleep(50);
          }
        } else if (!res.write(part) && !res.destroyed) {
          // Whichever comes first; the other listener goes too (one per wait would pile up on a long body).
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.once('drain', done);
            res.once('close', done);
          });
        }
        sent += part.length;
      }
      if (sent >= limit) break;
    }
    answer.cancel();
    if (gone) return;
    if (fault?.kind === 'reset') {
      // Let the bytes written so far leave before the RST.
      await new Promise((resolve) => res.write('', resolve));
      req.socket.resetAndDestroy();
    } else if (fault?.kind === 'truncate') {
      // Flush what was written, then close without the rest of the body.
      req.socket.end();
    } else if (fault?.kind === 'stall') {
      // Nothing more: the client's timeout (or stop()) ends it.
      await new Promise((resolve) => res.once('close', resolve));
    } else {
      res.end();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    const record: RequestRecord = {
      method,
      path,
      search: url.search,
      range: req.headers.range,
      headers: req.headers,
      status: 0,
      fault: undefined,
      arrivedAt: performance.now(),
      finishedAt: undefined,
    };
    requests.push(record);
    res.once('close', () => {
      record.finishedAt = performance.now();
    });
    const fault = pickFault(method, path, url.search);
    record.fault = fault?.kind;
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'delay') await sleep(fault.ms);
    // The client left during the delay: nothing to answer, nothing to ask the upstream.
    if (res.destroyed) return;
    if (fault?.kind === 'status') {
      // Read the request body first, so a client still sending it sees the answer, not EPIPE.
      req.resume();
      await new Promise((resolve) => req.once('end', resolve));
      const code = fault.code ?? (upstream === undefined ? undefined : s3Codes[fault.status]);
      const body =
        code === undefined
          ? `injected ${fault.status}\n`
          : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected ${fault.status}</Message></Error>`;
      record.status = fault.status;
      res
        .writeHead(fault.status, {
          'content-type': code === undefined ? 'text/plain' : 'application/xml',
          'content-length': Buffer.byteLength(body),
        })
        .end(method === 'HEAD' ? undefined : body);
      return;
    }
    const answer = upstream === undefined ? await serveFile(req, path) : await proxy(req, res, upstream);
    await send(req, res, answer, fault, record);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        agent.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
