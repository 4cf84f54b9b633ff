import type { ClockOptions } from '@rec/mpd';
import got, { type Got } from 'got';
import { loadManifest } from '../manifest/loadManifest.js';

/** A manifest as read: the URL it came from after redirects (the base of its relative URLs) and its bytes. */
export interface FetchedManifest {
  url: string;
  body: string | Uint8Array;
}

/** Reads a manifest; rejects on any failure (the caller retries). */
export type FetchManifest = (url: string, signal?: AbortSignal) => Promise<FetchedManifest>;

/**
 * One try per call, 10 s at most: the recording's refresh loop retries on
 * its own schedule (the next update period), a refresh must not hold it for
 * got's backoff.
 */
let once: Got | undefined;
const client = (): Got => {
  once ??= got.extend({ retry: { limit: 0 }, timeout: { request: 10_000 } });
  return once;
};

/** The manifest as a download reads it (`loadManifest`: http(s) with redirects, or a file: URL). */
export const fetchManifest: FetchManifest = async (url, signal) => {
  const { bytes, url: after } = await loadManifest(url, { got: client(), signal });
  return { url: after, body: bytes };
};

/** `syncClock`'s UTCTiming reader: the body (http-iso, http-xsdate) and the `Date` header (http-head). */
export const fetchTime: NonNullable<ClockOptions['fetchTime']> = async (url, method, signal) => {
  const response = await client()(url, { method, signal });
  return { body: response.body, date: response.headers.date };
};
