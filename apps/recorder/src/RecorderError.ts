/** Exit codes of the recorder CLI. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  BadArguments: 2,
  NothingInWindow: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const RecorderErrorCode = {
  BadArguments: 'BAD_ARGUMENTS',
  BadConfig: 'BAD_CONFIG',
  NothingInWindow: 'NOTHING_IN_WINDOW',
} as const;
export type RecorderErrorCode = (typeof RecorderErrorCode)[keyof typeof RecorderErrorCode];

const exitCodes: Record<RecorderErrorCode, ExitCode> = {
  BAD_ARGUMENTS: ExitCode.BadArguments,
  BAD_CONFIG: ExitCode.BadArguments,
  NOTHING_IN_WINDOW: ExitCode.NothingInWindow,
};

/** Errors of the recorder itself (the libraries throw their own). */
export class RecorderError extends Error {
  override readonly name = 'RecorderError';
  readonly code: RecorderErrorCode;
  readonly exitCode: ExitCode;

  constructor(code: RecorderErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = exitCodes[code];
  }
}
