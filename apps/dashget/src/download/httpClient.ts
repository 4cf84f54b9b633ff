import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { backoffDelay } from '@rec/core';
import got, { type Got } from 'got';

export interface HttpClientOptions {
  /** Parallel connections per host (the download's thread count). */
  threads: number;
  /** Retries per request after the first attempt. */
  retries: number;
  /** Milliseconds a connection may stay silent (connect, or between two body chunks) before the request is retried. */
  timeout: number;
  /** Upper bound of the first retry's wait, in ms (full jitter, doubling per retry, capped at 10 s). */
  retryDelay: number;
  signal?: AbortSignal;
}

export interface HttpClient {
  got: Got;
  /** Closes the keep-alive sockets. */
  close(): void;
}

/**
 * got with one keep-alive pool of `threads` sockets per host (the limit
 * the queue already enforces: a socket per transfer, no handshake per
 * segment) and got's retry: the statuses and network errors it retries by
 * default (5xx, 408, 429, resets, timeouts), plus a body shorter than its
 * Content-Length, waiting `backoffDelay` (full jitter) or the server's
 * Retry-After. Bodies stay as sent (no decompression: the saved file is
 * the served file, and Content-Length counts its bytes).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agentOptions = { keepAlive: true, maxSockets: options.threads, maxFreeSockets: options.threads };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  const client = got.extend({
    agent: { http, https },
    decompress: false,
    strictContentLength: true,
    signal: options.signal,
    timeout: { connect: options.timeout, socket: options.timeout },
    retry: {
      limit: options.retries,
      errorCodes: [...(got.defaults.options.retry.errorCodes ?? []), 'ERR_HTTP_CONTENT_LENGTH_MISMATCH'],
      calculateDelay: ({ attemptCount, computedValue, retryAfter }) => {
        if (computedValue === 0) return 0;
        if (retryAfter !== undefined && retryAfter > 0) return computedValue;
        // got's 1 s, 2 s, 4 s is long for a segment that failed once; full jitter spreads clients that failed together.
        return Math.max(1, backoffDelay(attemptCount - 1, { base: options.retryDelay }));
      },
    },
    headers: { 'user-agent': 'dashget (rec)' },
  });
  return {
    got: client,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}
