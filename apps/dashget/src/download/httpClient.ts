import { type IncomingHttpHeaders, type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { backoffDelay, sleep } from '@rec/core';
import { HttpRequestError, toHttpRequestError } from './HttpRequestError.js';
import { createAgents, sendRequest } from './sendRequest.js';

export interface HttpClientOptions {
  /** Parallel connections per origin (the download's thread count). */
  threads: number;
  /** Retries per request after the first attempt. */
  retries: number;
  /** Milliseconds a connection may stay silent (connect, the head, or between two body chunks) before the request is retried. */
  timeout: number;
  /** Upper bound of the first retry's wait, in ms (full jitter, doubling per retry, capped at 10 s). */
  retryDelay: number;
  /** The default signal of every request (one given to a request replaces it). */
  signal?: AbortSignal;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'HEAD';
  /** Header names in lower case; an undefined value is not sent. */
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** A response's head, and its body to read (or `dump`) once. */
export interface HttpResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Must be read to its end or given to `discardBody`: the connection (and the signal's listener) is held until then. */
  body: Readable;
  /** The URL that answered, after redirects. */
  url: string;
}

/** A whole response, read with retries. */
export interface HttpBufferResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  url: string;
}

/**
 * What the download path needs of HTTP: one request at a time
 * (`request`, redirects followed, any status returned), the retry policy
 * for the caller's own loop (`retryDelay`, `wait`), and whole bodies with
 * that policy applied (`fetchBuffer`: the manifest, a sidx, a HEAD).
 */
export interface HttpClient {
  request(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /**
   * Milliseconds to wait before retry `attempt` (0: the first) after
   * `error`, or undefined when it is not retried: retries exhausted, or an
   * error that another try would not change.
   */
  retryDelay(error: unknown, attempt: number): number | undefined;
  /**
   * An error met while reading a response's body: the connection's (a
   * reset, a cut) as `HttpRequestError` (with the code got gave, which
   * `retryDelay` reads), any other (the disk's, the caller's own) as it is.
   */
  bodyError(error: unknown, url: string): unknown;
  /** `sleep(ms)`, rejecting with the reason as soon as `signal` (else the client's) aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  /** `request` with the retries, the body read whole; a status from 300 up rejects with `HttpRequestError`. */
  fetchBuffer(url: string, options?: HttpRequestOptions): Promise<HttpBufferResponse>;
  /** Closes the keep-alive connections. */
  close(): Promise<void>;
}

/** got's retried statuses (413 only with a Retry-After): RFC 9110 15.5.9, 15.6; 521-524 are Cloudflare's origin errors. */
const RETRIED_STATUSES = new Set([408, 413, 429, 500, 502, 503, 504, 521, 522, 524]);
/** Network failures another try may not meet (got's list), and a body shorter than its Content-Length. */
const RETRIED_CODES = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'EADDRINUSE',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_HTTP_CONTENT_LENGTH_MISMATCH',
]);
/** got's default: a chain of redirects longer than this fails. */
const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Node's own HTTP client (`sendRequest`) on keep-alive agents: a pool of
 * `threads` sockets per origin (the limit the queue already enforces: a
 * connection per transfer, no handshake per segment), connect, head and
 * between-chunks timeouts of `timeout` ms, no decompression (the saved file
 * is the served file, and Content-Length counts its bytes), redirects
 * followed (10 at most, http(s) only, credentials of the URL sent as Basic
 * auth to its own origin only). Retries as got made them: the statuses in
 * `RETRIED_STATUSES`, resets, timeouts and other network errors, a body
 * shorter than its Content-Length; waiting the server's Retry-After, else
 * `backoffDelay` (full jitter: clients that failed together do not retry
 * together).
 *
 * Why not got, nor undici: on the bench's 454 requests (8 workers, files
 * written, in one warm process) got streams took 0.87 s where node:http
 * took 0.47 s (got's per-request options merging, request id, timers and
 * events). undici's `request` is as fast as node:http once warm, but not in
 * the fresh process a CLI is: a script fetching the same files took a
 * median 1.71 s with undici (0.95 s user CPU) against 1.22 s with node:http
 * (0.73 s), five runs each in turns; its HTTP parser runs as WebAssembly
 * called back from JavaScript, which a short process pays to warm up, where
 * Node's runs in C++ (bench/README.md, "dashget").
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agents = createAgents(options.threads);
  const request = async (url: string, requestOptions: HttpRequestOptions = {}): Promise<HttpResponse> => {
    const method = requestOptions.method ?? 'GET';
    const signal = requestOptions.signal ?? options.signal;
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const { target, authorization } = splitCredentials(current, url);
      const headers: Record<string, string> = { 'user-agent': 'dashget (rec)' };
      if (authorization) headers.authorization = authorization;
      for (const [name, value] of Object.entries(requestOptions.headers ?? {}))
        if (value !== undefined) headers[name] = value;
      let response: IncomingMessage;
      try {
        response = await sendRequest(agents, target, { method, headers, signal, timeout: options.timeout });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw toHttpRequestError(error, current);
      }
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || typeof location !== 'string') {
        return {
          statusCode: response.statusCode ?? 0,
          headers: response.headers,
          body: response,
          url: withoutCredentials(current),
        };
      }
      discardBody(response);
      const next = new URL(location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new HttpRequestError('ERR_UNSUPPORTED_PROTOCOL', `Unsupported protocol "${next.protocol}"`, {
          url: current,
        });
      }
      if (redirects + 1 > MAX_REDIRECTS) {
        throw new HttpRequestError('ERR_TOO_MANY_REDIRECTS', `Redirected ${MAX_REDIRECTS} times. Aborting.`, {
          url: current,
        });
      }
      current = next.href;
    }
  };
  const retryDelay = (error: unknown, attempt: number): number | undefined => {
    if (attempt >= options.retries || !(error instanceof HttpRequestError)) return undefined;
    if (error.statusCode !== undefined) {
      if (!RETRIED_STATUSES.has(error.statusCode)) return undefined;
      const after = retryAfter(error.headers?.['retry-after']);
      if (after !== undefined) return after;
      if (error.statusCode === 413) return undefined;
    } else if (!RETRIED_CODES.has(error.code)) {
      return undefined;
    }
    return Math.max(1, backoffDelay(attempt, { base: options.retryDelay }));
  };
  const bodyError = (error: unknown, url: string): unknown => {
    const code = (error as { code?: unknown } | undefined)?.code;
    return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE'
      ? toHttpRequestError(error, url)
      : error;
  };
  const wait = (ms: number, signal?: AbortSignal) => sleep(ms, signal ?? options.signal);
  const fetchBuffer = async (
    url: string,
    requestOptions: HttpRequestOptions = {},
  ): Promise<HttpBufferResponse> => {
    const signal = requestOptions.signal ?? options.signal;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await request(url, requestOptions);
        if (response.statusCode >= 300) {
          discardBody(response.body);
          throw statusError(response);
        }
        const chunks: Buffer[] = [];
        let length = 0;
        try {
          for await (const chunk of response.body as AsyncIterable<Buffer>) {
            chunks.push(chunk);
            length += chunk.length;
          }
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          throw bodyError(error, response.url);
        }
        const announced = Number(response.headers['content-length']);
        if (requestOptions.method !== 'HEAD' && Number.isSafeInteger(announced) && length !== announced)
          throw shortBody(announced, length, response.url);
        return { ...response, body: Buffer.concat(chunks, length) };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const delay = retryDelay(error, attempt);
        if (delay === undefined) throw error;
        await wait(delay, signal);
      }
    }
  };
  return {
    request,
    retryDelay,
    bodyError,
    wait,
    fetchBuffer,
    close: async () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** Bodies up to this size are read to their end when not wanted: the connection stays open for the next request. */
const DUMP_LIMIT = 64 * 1024;

/**
 * Lets go of a body that is not wanted (an error page, a redirect, the
 * wrong bytes): read to its end when small, so its keep-alive connection
 * serves the next request, else cut (with the connection). Its error, if
 * any, is nobody's: swallowed.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => {});
  const length = Number((body as IncomingMessage).headers?.['content-length']);
  if (Number.isSafeInteger(length) && length <= DUMP_LIMIT) body.resume();
  else body.destroy();
}

/** The error of a response whose status is not a success (got's `HTTPError` message). */
export function statusError(response: HttpResponse): HttpRequestError {
  const reason = STATUS_CODES[response.statusCode] ?? 'Unknown';
  return new HttpRequestError(
    `HTTP_${response.statusCode}`,
    `Response code ${response.statusCode} (${reason})`,
    { url: response.url, statusCode: response.statusCode, headers: response.headers },
  );
}

/** A body that ended before its Content-Length (retried: the next try continues after the bytes received). */
export function shortBody(announced: number, received: number, url: string): HttpRequestError {
  return new HttpRequestError(
    'ERR_HTTP_CONTENT_LENGTH_MISMATCH',
    `${announced} bytes announced, ${received} received`,
    { url },
  );
}

/** Retry-After (RFC 9110 10.2.3) in ms: delay-seconds or an HTTP date (a date passed: 1 ms). */
function retryAfter(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds > 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(1, date - Date.now());
}

/**
 * The request's origin and path without the URL's user and password, and
 * those as a Basic `Authorization` (RFC 7617) while the request stays on the
 * origin of the URL first asked for (a redirect elsewhere does not get them).
 */
function splitCredentials(url: string, first: string): { target: URL; authorization?: string } {
  const parsed = new URL(url);
  const target = parsed;
  const source = url === first ? parsed : new URL(first);
  if ((source.username === '' && source.password === '') || source.origin !== parsed.origin)
    return { target };
  const credentials = `${decodeURIComponent(source.username)}:${decodeURIComponent(source.password)}`;
  return { target, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}
