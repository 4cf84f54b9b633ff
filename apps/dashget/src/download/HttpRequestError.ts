import type { IncomingHttpHeaders } from 'node:http';

/**
 * A request that failed: a status from 300 up (`statusCode`, code
 * `HTTP_<status>`), or the network (the code got gave the same failure:
 * `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`, `ERR_HTTP_CONTENT_LENGTH_MISMATCH`,
 * ...), with Node's error as `cause`. The retry policy and
 * `describeError` read it; it is the `cause` of what dashget reports, not
 * a code callers branch on (those are `DashgetError`'s).
 */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  readonly code: string;
  /** The URL that failed (may carry a query string: shown through `describeError`, which drops it). */
  readonly url: string;
  readonly statusCode?: number;
  readonly headers?: IncomingHttpHeaders;

  constructor(
    code: string,
    message: string,
    details: { url: string; statusCode?: number; headers?: IncomingHttpHeaders; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.url = details.url;
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.headers !== undefined) this.headers = details.headers;
  }
}

/**
 * A failure of Node's HTTP client as got reported it: system errors
 * (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, ...) keep their code and
 * message, a body cut before its end (`ERR_STREAM_PREMATURE_CLOSE`) is a
 * reset; the timeouts are made as `HttpRequestError`s already.
 */
export function toHttpRequestError(error: unknown, url: string): HttpRequestError {
  if (error instanceof HttpRequestError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const mapped =
    code === 'ERR_STREAM_PREMATURE_CLOSE'
      ? 'ECONNRESET'
      : typeof code === 'string'
        ? code
        : error instanceof Error
          ? error.name
          : 'ERR_HTTP';
  return new HttpRequestError(mapped, message, { url, cause: error });
}
