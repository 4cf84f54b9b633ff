import type { IncomingHttpHeaders } from 'node:http';

/**
 * A request that failed: a status from 300 up (`statusCode`, code
 * `HTTP_<status>`), or the network (the code got gave the same failure:
 * `ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`, `ERR_HTTP_CONTENT_LENGTH_MISMATCH`,
 * ...), with undici's error as `cause`. The retry policy and
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
 * undici's failure as got reported the same one: its timeouts as
 * `ETIMEDOUT` (connect, or a silent socket: head or body), a connection
 * closed mid-answer as the socket's own code (else `ECONNRESET`), a body
 * short of its Content-Length as `ERR_HTTP_CONTENT_LENGTH_MISMATCH`; system
 * errors (`ECONNREFUSED`, `ENOTFOUND`, ...) keep their code and message.
 */
export function toHttpRequestError(error: unknown, url: string, timeout: number): HttpRequestError {
  if (error instanceof HttpRequestError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const make = (mapped: string, text: string) => new HttpRequestError(mapped, text, { url, cause: error });
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return make('ETIMEDOUT', `Timeout awaiting 'connect' for ${timeout}ms`);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return make('ETIMEDOUT', `Timeout awaiting 'socket' for ${timeout}ms`);
    case 'UND_ERR_SOCKET': {
      // "other side closed", or the socket's own error (a reset) as the cause.
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const causeCode = typeof cause?.code === 'string' ? cause.code : undefined;
      const causeMessage = typeof cause?.message === 'string' ? cause.message : undefined;
      return make(causeCode ?? 'ECONNRESET', causeMessage ?? message);
    }
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return make('ERR_HTTP_CONTENT_LENGTH_MISMATCH', message);
    default:
      return make(
        typeof code === 'string' ? code : error instanceof Error ? error.name : 'ERR_HTTP',
        message,
      );
  }
}
