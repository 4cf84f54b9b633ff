import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RecWarning, WarningLog } from '@rec/core';
import { openFileSource, writeFileAtomic } from '@rec/core/node';
import {
  localPathFor,
  type Mpd,
  parseMpd,
  type RepresentationSelection,
  type ResolvedMpd,
  resolveMpd,
  resolveXlinks,
  type SegmentLocation,
} from '@rec/mpd';
import { DashgetError, DashgetErrorCode } from './DashgetError.js';
import type { DashgetOptions } from './DashgetOptions.js';
import type { DownloadPlanItem, DownloadSummary } from './download/DownloadPlanItem.js';
import { describeError } from './download/describeError.js';
import { downloadFiles } from './download/downloadFiles.js';
import { createHttpClient, type HttpClient } from './download/httpClient.js';
import { planDownload } from './download/planDownload.js';
import { serializeElement } from './live/serializeXml.js';
import { loadManifest } from './manifest/loadManifest.js';
import { checkEntityUrl, readLocalEntity } from './manifest/remoteEntity.js';
import { rewriteOfflineMpd } from './manifest/rewriteOfflineMpd.js';

export interface ResolvedManifest {
  /** The manifest's URL after redirects. */
  url: string;
  /** Its bytes as served (with the remote elements `resolveXlinks` spliced in, when it links any). */
  bytes: Uint8Array;
  mpd: Mpd;
  resolved: ResolvedMpd;
}

export interface ResolveManifestOptions {
  manifestUrl: string;
  select?: RepresentationSelection;
  retries?: number;
  /** The wall clock for a dynamic MPD (ms); default now. */
  now?: number;
  signal?: AbortSignal;
}

/**
 * Loads, parses and resolves a manifest: SegmentBase sidx boxes are read
 * with Range requests (with retries). Throws `MpdError` for a bad
 * manifest, `DASHGET_MANIFEST_UNAVAILABLE` when it cannot be fetched.
 */
export async function resolveManifest(options: ResolveManifestOptions): Promise<ResolvedManifest> {
  const client = createHttpClient({
    threads: 4,
    retries: options.retries ?? 5,
    timeout: 30_000,
    retryDelay: 500,
    signal: options.signal,
  });
  try {
    return await resolveWith(client, options);
  } finally {
    await client.close();
  }
}

async function resolveWith(client: HttpClient, options: ResolveManifestOptions): Promise<ResolvedManifest> {
  const { signal } = options;
  const loaded = await loadManifest(options.manifestUrl, { http: client, signal });
  const parsed = parseMpd(loaded.bytes, { url: loaded.url });
  const mpd = await resolveXlinks(parsed, {
    signal,
    load: async (url, abort) => {
      checkEntityUrl(url, parsed.manifestUrl);
      if (url.startsWith('file:')) return readLocalEntity(url);
      return (await client.fetchBuffer(url, { signal: abort })).body;
    },
  });
  // Remote elements spliced in: the saved manifest holds them, so that it plays offline.
  const bytes =
    mpd === parsed
      ? loaded.bytes
      : new TextEncoder().encode(
          `<?xml version="1.0" encoding="UTF-8"?>\n${serializeElement(mpd.element, '')}\n`,
        );
  const resolved = await resolveMpd(mpd, {
    select: options.select,
    now: options.now,
    signal,
    loadRange: (location, abort) => loadIndex(client, mpd.manifestUrl, location, abort),
  });
  if (
    resolved.periods.every((period) => period.adaptationSets.every((set) => set.representations.length === 0))
  ) {
    throw nothingSelected(mpd);
  }
  return { url: loaded.url, bytes, mpd, resolved };
}

/** `DASHGET_NOTHING_SELECTED`: what the manifest has, so that a mistyped `--select` shows the right one. */
function nothingSelected(mpd: Mpd): DashgetError {
  const representations = mpd.periods.flatMap((period) =>
    period.adaptationSets.flatMap((set) =>
      set.representations.map((r) => ({ id: r.id, type: set.contentType })),
    ),
  );
  if (representations.length === 0) {
    return new DashgetError(
      DashgetErrorCode.NothingSelected,
      'the manifest lists no Representation: nothing to download',
    );
  }
  const ids = [...new Set(representations.map((r) => r.id))];
  const types = [...new Set(representations.map((r) => r.type).filter((type) => type !== null))];
  return new DashgetError(
    DashgetErrorCode.NothingSelected,
    `the selection matches none of the manifest's ${representations.length} Representations ` +
      `(ids ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', ...' : ''}${types.length > 0 ? `; ${types.join(', ')}` : ''})`,
  );
}

/**
 * SegmentBase's index bytes: from the index URL, else from each of its
 * fallbacks (the other BaseURLs) in turn, each with the client's retries;
 * a failure of them all is `DASHGET_MANIFEST_UNAVAILABLE`, naming the
 * range and URL, as a manifest that cannot be fetched is.
 */
async function loadIndex(
  client: HttpClient,
  manifestUrl: string,
  location: SegmentLocation,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const { range } = location;
  const headers: Record<string, string> = range ? { range: `bytes=${range.first}-${range.last ?? ''}` } : {};
  const failures: { url: string; error: unknown }[] = [];
  for (const url of [location.url, ...(location.fallbackUrls ?? [])]) {
    // The same safety rule as every other download.
    localPathFor(url, manifestUrl);
    if (url.startsWith('file:')) return readLocalRange(url, range);
    try {
      return (await client.fetchBuffer(url, { signal, headers })).body;
    } catch (error) {
      if (signal?.aborted) throw error;
      failures.push({ url, error });
    }
  }
  const wanted = range ? `bytes ${range.first}-${range.last ?? ''} of ` : '';
  // A signed URL's query string stays out of messages.
  const shown = (url: string) => url.replace(/\?.*$/, '');
  const [first, ...others] = failures;
  throw new DashgetError(
    DashgetErrorCode.ManifestUnavailable,
    `cannot read the index (${wanted}${shown(location.url)}): ${describeError(first?.error)}` +
      others.map(({ url, error }) => `; then ${shown(url)}: ${describeError(error)}`).join(''),
    { cause: first?.error },
  );
}

/**
 * The bytes `range` of a file: URL (beside a file: manifest, as its segments are), read from
 * disk as the download copies them; a file that cannot be read is named with the range wanted.
 */
async function readLocalRange(url: string, range: SegmentLocation['range']): Promise<Uint8Array> {
  const path = fileURLToPath(url);
  const wanted = range ? `bytes ${range.first}-${range.last ?? ''} of ` : '';
  const source = await openFileSource(path).catch((error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message);
    throw new DashgetError(
      DashgetErrorCode.ManifestUnavailable,
      `cannot read the index (${wanted}${path}): ${reason}`,
      { cause: error },
    );
  });
  try {
    const end = range?.last === undefined ? await source.size() : range.last + 1;
    return await source.read(range?.first ?? 0, end);
  } finally {
    await source.close();
  }
}

export interface DashgetResult {
  /** The manifest's URL after redirects. */
  manifest: string;
  outputDir: string;
  /** The saved manifest, relative to `outputDir` (absent for a dry run). */
  manifestPath?: string;
  resolved: ResolvedMpd;
  plan: DownloadPlanItem[];
  /** Absent for a dry run. */
  download?: DownloadSummary;
  /** What the saved manifest changes to play offline (see `rewriteOfflineMpd`). */
  offlineChanges: string[];
  /** The manifest's warnings and the download's, one entry per code. */
  warnings: RecWarning[];
}

/**
 * Mirrors a DASH manifest into `output`: every selected Representation's
 * init and media segments at their URL paths relative to the manifest's
 * directory (other hosts under a host-named folder), then the manifest,
 * rewritten only where it must be to play from there. Failed files are in
 * `download.failed` (no throw); the saved manifest is written last.
 */
export async function dashget(options: DashgetOptions): Promise<DashgetResult> {
  const { signal } = options;
  const warnings = new WarningLog(options.onWarning);
  const { url, bytes, mpd, resolved } = await resolveManifest({
    manifestUrl: options.manifestUrl,
    select: options.select,
    retries: options.retries,
    signal,
  });
  warnings.merge(resolved.warnings);
  const plan = planDownload(resolved);
  const outputDir = resolve(options.output);
  const result: DashgetResult = {
    manifest: url,
    outputDir,
    resolved,
    plan,
    offlineChanges: [],
    warnings: [],
  };
  if (options.dryRun) {
    result.warnings = warnings.list();
    return result;
  }
  const download = await downloadFiles(plan, {
    outputDir,
    threads: options.threads,
    retries: options.retries,
    signal,
    onProgress: options.onProgress,
    onWarning: options.onWarning,
  });
  warnings.merge(download.warnings);
  const manifestPath = manifestLocalPath(mpd.manifestUrl);
  const text = new TextDecoder().decode(bytes);
  const offline = rewriteOfflineMpd(text, mpd, { downloaded: plan.map((item) => item.url) });
  warnings.merge(offline.warnings);
  for (const folder of offline.folders)
    await mkdir(join(outputDir, ...folder.split('/')), { recursive: true });
  await writeFileAtomic(
    join(outputDir, ...manifestPath.split('/')),
    offline.changes.length === 0 ? bytes : offline.text,
    {
      signal,
    },
  );
  return { ...result, manifestPath, download, offlineChanges: offline.changes, warnings: warnings.list() };
}

/** Where the manifest itself is saved: its name (a URL naming a folder is saved as `manifest.mpd`). */
function manifestLocalPath(manifestUrl: string): string {
  try {
    return localPathFor(manifestUrl, manifestUrl);
  } catch {
    return 'manifest.mpd';
  }
}
