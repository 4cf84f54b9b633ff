/** Stable codes callers can branch on. */
export const MuxErrorCode = {
  FfmpegNotFound: 'FFMPEG_NOT_FOUND',
  FfmpegFailed: 'FFMPEG_FAILED',
  WavInvalid: 'WAV_INVALID',
  WavFormatMismatch: 'WAV_FORMAT_MISMATCH',
  WavTooLarge: 'WAV_TOO_LARGE',
  AacInvalid: 'AAC_INVALID',
  AacFormatMismatch: 'AAC_FORMAT_MISMATCH',
  AudioGap: 'AUDIO_GAP',
  FfprobeFailed: 'FFPROBE_FAILED',
  InvalidOptions: 'INVALID_OPTIONS',
  NoInput: 'NO_INPUT',
  Aborted: 'ABORTED',
} as const;
export type MuxErrorCode = (typeof MuxErrorCode)[keyof typeof MuxErrorCode];

/** The one error class of `@rec/mux`. */
export class MuxError extends Error {
  override readonly name = 'MuxError';
  readonly code: MuxErrorCode;
  /** The file the error is about, when there is one. */
  readonly file: string | undefined;

  constructor(code: MuxErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
  }
}
