export { ByteReader, type ShortRead, type ShortReadFactory } from './ByteReader.js';
export { type ByteSource, bytesSource } from './ByteSource.js';
export { type BackoffOptions, backoffDelay, sleep } from './backoff.js';
export { describeValue, expectInteger, expectNumber, expectOneOf, invalidOption } from './invalidOption.js';
export { makeProgress, type Progress, type ProgressListener, ProgressUnit } from './Progress.js';
export { isRecError, RecError } from './RecError.js';
export { intersectRanges, rangeDuration, type TimeRange } from './TimeRange.js';
export { type RecWarning, WarningLog } from './Warning.js';
