import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DashgetError } from '../DashgetError.js';
import { describeError } from '../download/describeError.js';
import type { HttpClient } from '../download/httpClient.js';

export interface LoadedManifest {
  /** The manifest's bytes as served. */
  bytes: Uint8Array;
  /** Its URL after redirects: relative BaseURLs resolve against it (RFC 3986). */
  url: string;
}

/** Fetches the manifest (http(s), with the client's redirects and retries) or reads it (file:). */
export async function loadManifest(
  url: string,
  options: { http: HttpClient; signal?: AbortSignal },
): Promise<LoadedManifest> {
  try {
    if (url.startsWith('file:')) return { bytes: await readFile(fileURLToPath(url)), url };
    const response = await options.http.fetchBuffer(url, { signal: options.signal });
    return { bytes: response.body, url: response.url };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new DashgetError(
      'DASHGET_MANIFEST_UNAVAILABLE',
      `cannot load the manifest: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
}
