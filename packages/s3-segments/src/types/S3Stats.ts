/** S3 operations this package sends. */
export type S3Operation = 'ListObjectsV2' | 'GetObject';

/**
 * Counters a caller passes in (`stats`) and reads afterwards. Requests are
 * counted per HTTP attempt, so SDK retries show up too.
 */
export interface S3Stats {
  /** HTTP requests sent, in total and per operation. */
  requests: { total: number } & Record<S3Operation, number>;
  /** Keys returned by listings. */
  keysListed: number;
  /** Listed keys that do not match the layout (other kinds, other names). */
  keysSkipped: number;
}

export function createS3Stats(): S3Stats {
  return { requests: { total: 0, ListObjectsV2: 0, GetObject: 0 }, keysListed: 0, keysSkipped: 0 };
}
