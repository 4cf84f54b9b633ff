import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { basename, dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { atomicFile, PartWriter } from '@rec/core/node';
import type { DownloadPlanItem } from './DownloadPlanItem.js';
import type { ExistingFiles } from './ExistingFiles.js';
import { discardBody, type HttpClient, type HttpResponse, shortBody, statusError } from './httpClient.js';
import type { ResumeEntry, ResumeJournal } from './ResumeJournal.js';

export interface FetchContext {
  http: HttpClient;
  journal: ResumeJournal;
  existing: ExistingFiles;
  /** Passed to each request (its listener is removed when the response closes). */
  signal?: AbortSignal;
  /** Bytes just written (progress). */
  onBytes(count: number): void;
  /** The server answered 200 to a Range request, or a part could not be continued. */
  onNotice(code: 'DASHGET_RANGE_IGNORED' | 'DASHGET_PART_RESTARTED', url: string): void;
}

export interface FetchResult {
  /** `skipped`: complete on disk already. */
  outcome: 'downloaded' | 'skipped';
  /** Size of the local file. */
  bytes: number;
  /** Bytes fetched now. */
  downloaded: number;
  /** Continued from a `.part` of an earlier run. */
  resumed: boolean;
  /** Index in `[url, ...fallbackUrls]` of the URL that served it. */
  source: number;
}

/** Write buffers: fewer, larger `write(2)`s than the 16 KiB default. */
const HIGH_WATER_MARK = 256 * 1024;

/**
 * Downloads one planned file to `target` (an absolute path inside the
 * output directory) through `<target>.part`, renamed into place once
 * complete: skipped when the file there has the remote size (the
 * Content-Length of a HEAD, or the end of its byte range), continued from
 * a `.part` left by an earlier run when the journal knows its validator,
 * else fetched from the start. Each URL of `[url, ...fallbackUrls]` in
 * turn, each with the client's retries; a retry after part of the body
 * arrived continues from the last byte written.
 */
export async function fetchFile(
  item: DownloadPlanItem,
  target: string,
  context: FetchContext,
): Promise<FetchResult> {
  const names = await context.existing.names(dirname(target));
  const name = basename(target);
  const urls = [item.url, ...(item.fallbackUrls ?? [])];
  if (names.has(name)) {
    const size = (await stat(target)).size;
    const expected = item.range?.last === undefined ? await remoteLength(context, urls) : item.range.last + 1;
    if (size === expected)
      return { outcome: 'skipped', bytes: size, downloaded: 0, resumed: false, source: 0 };
  }
  const file = atomicFile(target);
  let partSize = names.has(basename(file.partPath))
    ? await stat(file.partPath).then(
        (info) => info.size,
        () => undefined,
      )
    : undefined;
  let lastError: unknown;
  for (const [source, url] of urls.entries()) {
    context.signal?.throwIfAborted();
    try {
      const result = url.startsWith('file:')
        ? await copyLocal(url, item, file.partPath, context)
        : await fetchToPart(url, item, file.partPath, partSize, context);
      await file.commit();
      return { outcome: 'downloaded', ...result, source };
    } catch (error) {
      if (context.signal?.aborted) throw context.signal.reason;
      lastError = error;
      // Another URL is another resource: its bytes start again.
      partSize = undefined;
    }
  }
  throw lastError;
}

/** The Content-Length of a HEAD of the first URL that answers one; undefined if none does. */
async function remoteLength(context: FetchContext, urls: string[]): Promise<number | undefined> {
  for (const url of urls) {
    if (url.startsWith('file:')) {
      const info = await stat(fileURLToPath(url)).catch(() => undefined);
      if (info) return info.size;
      continue;
    }
    try {
      const response = await context.http.fetchBuffer(url, { method: 'HEAD', signal: context.signal });
      const length = Number(response.headers['content-length']);
      if (Number.isSafeInteger(length)) return length;
    } catch {
      if (context.signal?.aborted) throw context.signal.reason;
    }
  }
  return undefined;
}

interface Written {
  bytes: number;
  downloaded: number;
  resumed: boolean;
}

/** A file: URL beside a file: manifest: copied (no partial state worth keeping). */
async function copyLocal(
  url: string,
  item: DownloadPlanItem,
  part: string,
  context: FetchContext,
): Promise<Written> {
  const start = item.range?.first ?? 0;
  const input = createReadStream(fileURLToPath(url), {
    start,
    end: item.range?.last,
    highWaterMark: HIGH_WATER_MARK,
  });
  input.on('data', (chunk) => context.onBytes(chunk.length));
  const output = createWriteStream(part, { flags: 'w', start });
  await pipeline(input, output, { signal: context.signal });
  return { bytes: start + output.bytesWritten, downloaded: output.bytesWritten, resumed: false };
}

/** What one response says about the bytes it carries. */
interface Answer {
  /** Offset in the file of its first body byte. */
  offset: number;
  /** Body bytes announced (Content-Length), when announced. */
  length: number | undefined;
  /** Full resource length, when known. */
  total: number | undefined;
  entry: ResumeEntry;
}

class RestartError extends Error {}

async function fetchToPart(
  url: string,
  item: DownloadPlanItem,
  part: string,
  partSize: number | undefined,
  context: FetchContext,
): Promise<Written> {
  const first = item.range?.first ?? 0;
  const last = item.range?.last;
  const known = context.journal.get(item.localPath);
  // Where the next byte goes, and what the bytes before it were fetched as.
  let offset = first;
  let validator: ResumeEntry | undefined;
  if (
    partSize !== undefined &&
    partSize > first &&
    known?.url === url &&
    (last === undefined || partSize <= last + 1)
  ) {
    offset = partSize;
    validator = known;
  }
  const resumed = validator !== undefined;
  if (last !== undefined && offset === last + 1) return { bytes: offset, downloaded: 0, resumed };
  const { http, signal } = context;
  let downloaded = 0;
  // A new part is opened while the request is on its way: creating a file waits on the file
  // system (in the thread pool), the response on the server, and the two overlap. (A part this
  // run would not continue is started again either way.)
  let early: Promise<PartWriter> | undefined = validator ? undefined : PartWriter.open(part, 'w', first);
  early?.catch(() => {});
  let wrote = false;
  try {
    return await transfer();
  } catch (error) {
    // A part created for nothing (no byte ever came) is not left behind.
    if (!wrote && partSize === undefined) await rm(part, { force: true }).catch(() => {});
    throw error;
  } finally {
    if (early) (await early.catch(() => undefined))?.close();
  }

  /** The part file to write the answer at `offset` into: the early one when it fits. */
  async function openPart(): Promise<PartWriter> {
    const opened = early;
    early = undefined;
    if (opened && offset === first) return opened;
    (await opened?.catch(() => undefined))?.close();
    // Continuing this file's bytes (an earlier run's part, or this run's before a retry), else a new part.
    return PartWriter.open(part, offset > first ? 'r+' : 'w', offset);
  }

  /** Not the bytes asked for, or a changed resource: from the start, without the validator. */
  function restart() {
    context.onNotice('DASHGET_PART_RESTARTED', url);
    offset = first;
    validator = undefined;
  }

  /**
   * Requests until the body is on disk whole: each failure the client's
   * policy retries waits its delay, and the next request continues after
   * the bytes written so far (Range, with If-Range once a validator is known).
   */
  async function transfer(): Promise<Written> {
    for (let attempt = 0; ; ) {
      let response: HttpResponse | undefined;
      let output: PartWriter | undefined;
      let announced: number | undefined;
      let failure: unknown;
      try {
        response = await http.request(url, { headers: rangeHeaders(offset, last, validator), signal });
        if (response.statusCode >= 300) throw statusError(response);
        const answer = readAnswer(response.statusCode, response.headers, url, offset, last);
        if (answer instanceof RestartError) {
          // The resource changed since the part was written: from the start, once.
          if (validator === undefined && offset === first) throw answer;
          discardBody(response.body);
          restart();
          continue;
        }
        if (
          validator?.length !== undefined &&
          answer.offset === offset &&
          answer.total !== validator.length
        ) {
          // No ETag or date to send as If-Range: the full length is what tells a changed resource.
          discardBody(response.body);
          restart();
          continue;
        }
        if (answer.offset !== offset) {
          // A 200 to a Range request: the whole resource, from byte 0.
          if (offset > 0)
            context.onNotice(validator ? 'DASHGET_PART_RESTARTED' : 'DASHGET_RANGE_IGNORED', url);
          offset = answer.offset;
        }
        if (validator === undefined) {
          validator = answer.entry;
          context.journal.record(item.localPath, answer.entry);
        }
        announced = answer.length;
        // The part opens in the thread pool while the body waits in the socket's buffer.
        output = await openPart();
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          context.onBytes(chunk.length);
          output.write(chunk);
          wrote = true;
        }
      } catch (error) {
        failure = error;
      }
      // What arrived goes to disk, before a cut too: the retry (or a later run) continues after it.
      if (output) {
        try {
          output.close();
        } catch (error) {
          failure ??= error;
        }
        offset += output.written;
        downloaded += output.written;
        if (failure === undefined && announced !== undefined && output.written !== announced)
          failure = shortBody(announced, output.written, url);
      }
      if (failure === undefined) return { bytes: offset, downloaded, resumed };
      if (response && !response.body.destroyed) discardBody(response.body);
      if (signal?.aborted) throw signal.reason;
      const error = http.bodyError(failure, url);
      const delay = http.retryDelay(error, attempt++);
      if (delay === undefined) throw error;
      await http.wait(delay, signal);
    }
  }
}

/** `Range` from `offset` (to `last`), with `If-Range` when continuing a part: RFC 9110 13.1.5, 14.2. */
function rangeHeaders(
  offset: number,
  last: number | undefined,
  validator: ResumeEntry | undefined,
): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {
    range: offset > 0 || last !== undefined ? `bytes=${offset}-${last ?? ''}` : undefined,
    'if-range': undefined,
  };
  if (validator && offset > 0) {
    // A strong ETag, else the date; a weak ETag cannot be used with If-Range.
    const tag = validator.etag && !validator.etag.startsWith('W/') ? validator.etag : undefined;
    headers['if-range'] = tag ?? validator.lastModified;
  }
  return headers;
}

function readAnswer(
  status: number,
  headers: IncomingHttpHeaders,
  url: string,
  offset: number,
  last: number | undefined,
): Answer | RestartError {
  const lengthHeader = headers['content-length'];
  const length = lengthHeader === undefined ? undefined : Number(lengthHeader);
  const entry: ResumeEntry = { url };
  if (typeof headers.etag === 'string') entry.etag = headers.etag;
  if (typeof headers['last-modified'] === 'string') entry.lastModified = headers['last-modified'];
  if (status === 206) {
    // Content-Range: bytes first-last/complete-length (RFC 9110 14.4)
    const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(headers['content-range'] ?? '');
    if (!match || Number(match[1]) !== offset || (last !== undefined && Number(match[2]) !== last)) {
      return new RestartError(`asked for bytes ${offset}-${last ?? ''}, got ${headers['content-range']}`);
    }
    const total = match[3] === '*' ? undefined : Number(match[3]);
    if (total !== undefined) entry.length = total;
    return { offset, length, total, entry };
  }
  if (length !== undefined) entry.length = length;
  return { offset: 0, length, total: length, entry };
}
