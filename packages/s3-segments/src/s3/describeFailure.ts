import { S3RetryCause } from '../types/S3Stats.js';

/** What one failed attempt met, for a message (`503 SlowDown`) and a counter (`throttled`). */
export interface AttemptFailure {
  /** `undefined` for answers that are not retried (403, 404...). */
  cause: S3RetryCause | undefined;
  /** Short and free of request data: built from the status, the error name or code, never a message. */
  label: string;
}

/** A body that arrived but is not the object; thrown by the download, never by the SDK. */
export class BodyIntegrityError extends Error {
  override readonly name = 'BodyIntegrityError';
  constructor(
    readonly retryCause: typeof S3RetryCause.TruncatedBody | typeof S3RetryCause.CorruptBody,
    readonly label: string,
    message: string,
  ) {
    super(message);
  }
}

/** A body attempt that ran past the time its size allows (a trickle the idle timeout cannot see). */
export class SlowBodyError extends Error {
  override readonly name = 'SlowBodyError';
}

const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);
const networkLabels: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};
const throttleNames = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Classifies the failure of one attempt. The SDK's `TimeoutError`s are told
 * apart by their message (connection, inactivity or request timeout): the
 * message is read, never shown.
 */
export function describeFailure(error: unknown): AttemptFailure {
  if (error instanceof BodyIntegrityError) return { cause: error.retryCause, label: error.label };
  if (error instanceof SlowBodyError) return { cause: S3RetryCause.Timeout, label: 'body too slow' };
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 300) {
    const label = `${status} ${name}`;
    if (status === 503 || status === 429 || throttleNames.has(name))
      return { cause: S3RetryCause.Throttled, label };
    if (status >= 500) return { cause: S3RetryCause.ServerError, label };
    if (status === 408 || name === 'RequestTimeout') return { cause: S3RetryCause.Timeout, label };
    return { cause: undefined, label };
  }
  const message = typeof e.message === 'string' ? e.message : '';
  const code = networkCode(error);
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ERR_SOCKET_CONNECTION_TIMEOUT') {
    const label = /establish a connection|connect/i.test(message)
      ? 'connect timeout'
      : /inactivity/.test(message)
        ? `no byte for ${timeoutText(message)}`
        : 'request timeout';
    return { cause: S3RetryCause.Timeout, label };
  }
  if (
    (code !== undefined && resetCodes.has(code)) ||
    message === 'aborted' ||
    /socket hang up/.test(message)
  ) {
    return { cause: S3RetryCause.ConnectionReset, label: 'connection reset' };
  }
  if (code !== undefined && networkLabels[code] !== undefined) {
    return { cause: S3RetryCause.Network, label: networkLabels[code] };
  }
  return { cause: S3RetryCause.Network, label: code ?? name };
}

/** The `code` of a socket error, looked up through `cause` chains (the SDK wraps some). */
export function networkCode(error: unknown, depth = 0): string | undefined {
  const e = error as ErrorShape | null;
  if (e === null || typeof e !== 'object' || depth > 4) return undefined;
  if (typeof e.code === 'string' && /^E[A-Z]+$|^ERR_/.test(e.code)) return e.code;
  return e.cause === undefined || e.cause === error ? undefined : networkCode(e.cause, depth + 1);
}

/** `... after 5000 ms of inactivity` -> `5 s`. */
function timeoutText(message: string): string {
  const ms = Number(/(\d+) ms/.exec(message)?.[1]);
  if (!Number.isFinite(ms)) return 'too long';
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
