/** S3 operations this package counts. */
export type S3Operation = 'ListObjectsV2' | 'GetObject';

/**
 * Why an attempt failed and was tried again. Counted in `S3Stats.retries`,
 * so a caller can say what a run met (`{"throttled": 3, "truncatedBody": 1}`).
 */
export const S3RetryCause = {
  /** 503 SlowDown / ServiceUnavailable, 429: the service asked us to slow down. */
  Throttled: 'throttled',
  /** Any other 5xx answer. */
  ServerError: 'serverError',
  /** No connection, no byte, or a body too slow within the client's timeouts. */
  Timeout: 'timeout',
  /** The connection closed mid-request or mid-body (ECONNRESET, EPIPE, premature close). */
  ConnectionReset: 'connectionReset',
  /** Refused, DNS, unreachable, and other socket failures. */
  Network: 'network',
  /** A body shorter than the listing says. */
  TruncatedBody: 'truncatedBody',
  /** A body longer than the listing says, or whose MD5 differs from its ETag. */
  CorruptBody: 'corruptBody',
} as const;
export type S3RetryCause = (typeof S3RetryCause)[keyof typeof S3RetryCause];

/**
 * Counters a caller passes in (`stats`) and reads afterwards. Requests are
 * counted per HTTP attempt, so SDK retries show up too.
 */
export interface S3Stats {
  /** HTTP requests sent, in total and per operation. */
  requests: { total: number } & Record<S3Operation, number>;
  /**
   * Attempts that failed and were tried again (by the SDK or by the download's
   * own retries), in total and per cause. A failure that ends an operation
   * is not a retry.
   */
  retries: { total: number } & Record<S3RetryCause, number>;
  /** Keys returned by listings. */
  keysListed: number;
  /** Listed keys that do not match the layout (other kinds, other names). */
  keysSkipped: number;
}

export function createS3Stats(): S3Stats {
  const retries = { total: 0 } as S3Stats['retries'];
  for (const cause of Object.values(S3RetryCause)) retries[cause] = 0;
  return {
    requests: { total: 0, ListObjectsV2: 0, GetObject: 0 },
    retries,
    keysListed: 0,
    keysSkipped: 0,
  };
}
