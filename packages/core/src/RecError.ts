/**
 * The base of every rec package's error class (`BoxParseError`, `MpdError`,
 * `EsParseError`, `S3SegmentsError`, `MuxError`, ...). Each subclass sets its
 * own `name` and location fields (byte offset, element path, bucket/key,
 * file); `code` is a stable string, unique across packages, that callers
 * branch on instead of the message. Not thrown for bad options (those are
 * `TypeError`s from `invalidOption`) nor for aborts (those reject with
 * `signal.reason`).
 */
export class RecError<Code extends string = string> extends Error {
  override readonly name: string = 'RecError';
  readonly code: Code;

  constructor(code: Code, message: string, options: { cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
  }
}

/** Whether `error` is an error of a rec package (its `code` is then stable). */
export function isRecError(error: unknown): error is RecError {
  return error instanceof RecError;
}
