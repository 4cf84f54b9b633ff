import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ClockOptions } from '@rec/mpd';
import got from 'got';

/** A manifest as read: the URL it came from after redirects (the base of its relative URLs) and its text. */
export interface FetchedManifest {
  url: string;
  body: string | Uint8Array;
}

/** Reads a manifest; rejects on any failure (the caller retries). */
export type FetchManifest = (url: string, signal?: AbortSignal) => Promise<FetchedManifest>;

/** One try per call: the recording's refresh loop retries on its own schedule. */
const TIMEOUT_MS = 10_000;

/** The manifest over http(s) with got (redirects followed), or a file: URL from disk. */
export const fetchManifest: FetchManifest = async (url, signal) => {
  if (url.startsWith('file:')) return { url, body: await readFile(fileURLToPath(url)) };
  const response = await got(url, { signal, timeout: { request: TIMEOUT_MS }, retry: { limit: 0 } });
  return { url: response.url, body: response.rawBody };
};

/** `syncClock`'s UTCTiming reader: the body (http-iso, http-xsdate) and the `Date` header (http-head). */
export const fetchTime: NonNullable<ClockOptions['fetchTime']> = async (url, method, signal) => {
  const response = await got(url, { method, signal, timeout: { request: TIMEOUT_MS }, retry: { limit: 0 } });
  return { body: response.body, date: response.headers.date };
};
