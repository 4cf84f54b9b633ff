import type { ClockOptions } from '@rec/mpd';
import { HttpRequestError } from '../download/HttpRequestError.js';
import { createHttpClient, type HttpClient } from '../download/httpClient.js';
import { loadManifest } from '../manifest/loadManifest.js';

/** A manifest as read: the URL it came from after redirects (the base of its relative URLs) and its bytes. */
export interface FetchedManifest {
  url: string;
  body: string | Uint8Array;
}

/** Reads a manifest; rejects on any failure (the caller retries). */
export type FetchManifest = (url: string, signal?: AbortSignal) => Promise<FetchedManifest>;

/** A refresh's whole budget (ms). */
const REQUEST_TIMEOUT = 10_000;

/**
 * One try per call, 10 s at most: the recording's refresh loop retries on
 * its own schedule (the next update period), a refresh must not hold it for
 * a backoff. One client for the process, made on first use (its idle
 * connections do not keep the process alive).
 */
let once: HttpClient | undefined;
const client = (): HttpClient => {
  once ??= createHttpClient({ threads: 2, retries: 0, timeout: REQUEST_TIMEOUT, retryDelay: 0 });
  return once;
};

/**
 * Runs `task` under a signal that aborts with `signal` or after `REQUEST_TIMEOUT`, its listener and
 * timer removed after. Not `AbortSignal.any` + `AbortSignal.timeout`: a timeout must fail with the
 * ETIMEDOUT line the CLI prints for every other timeout, not a DOMException.
 */
async function withinBudget<T>(
  url: string,
  signal: AbortSignal | undefined,
  task: (signal: AbortSignal) => Promise<T>,
) {
  signal?.throwIfAborted();
  const own = new AbortController();
  const forward = () => own.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  const timer = setTimeout(
    () =>
      own.abort(
        new HttpRequestError('ETIMEDOUT', `Timeout awaiting 'request' for ${REQUEST_TIMEOUT}ms`, { url }),
      ),
    REQUEST_TIMEOUT,
  );
  try {
    return await task(own.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}

/** The manifest as a download reads it (`loadManifest`: http(s) with redirects, or a file: URL). */
export const fetchManifest: FetchManifest = async (url, signal) => {
  const { bytes, url: after } = await withinBudget(url, signal, (own) =>
    loadManifest(url, { http: client(), signal: own }),
  );
  return { url: after, body: bytes };
};

/** `syncClock`'s UTCTiming reader: the body (http-iso, http-xsdate) and the `Date` header (http-head). */
export const fetchTime: NonNullable<ClockOptions['fetchTime']> = async (url, method, signal) => {
  const response = await withinBudget(url, signal, (own) =>
    client().fetchBuffer(url, { method, signal: own }),
  );
  return { body: response.body.toString('utf8'), date: response.headers.date };
};
