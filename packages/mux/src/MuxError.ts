import { RecError } from '@rec/core';

/** Stable codes callers can branch on; unique across rec packages. */
export const MuxErrorCode = {
  FfmpegNotFound: 'FFMPEG_NOT_FOUND',
  FfmpegFailed: 'FFMPEG_FAILED',
  FfprobeFailed: 'FFPROBE_FAILED',
  WavInvalid: 'WAV_INVALID',
  WavFormatMismatch: 'WAV_FORMAT_MISMATCH',
  WavTooLarge: 'WAV_TOO_LARGE',
  AacInvalid: 'AAC_INVALID',
  AacFormatMismatch: 'AAC_FORMAT_MISMATCH',
  AudioGap: 'AUDIO_GAP',
  /** Nothing to write: no video and no audio, no WAV chunk, no sample, no readable chunk. */
  NoInput: 'MUX_NO_INPUT',
  /** `buildAudioTrack`: the chunks are of two kinds (PCM WAV and AAC); a track takes one. */
  MixedAudio: 'MUX_MIXED_AUDIO',
  /**
   * The video's timeline cannot go through ffmpeg into an MP4: more than
   * about 25 h without a hole (ffmpeg's MPEG-TS reader), or a jump longer
   * than an MP4 sample can hold before the window start.
   */
  TimelineTooLong: 'MUX_TIMELINE_TOO_LONG',
  /**
   * No space left on the device (or in the quota) a file was written to:
   * ffmpeg said so (`No space left on device`, `Disk quota exceeded`; the
   * message as for `FFMPEG_FAILED`, the `log` kept), or a write of our own
   * failed with `ENOSPC`/`EDQUOT` (the Node error as `cause`).
   */
  DiskFull: 'MUX_DISK_FULL',
} as const;
export type MuxErrorCode = (typeof MuxErrorCode)[keyof typeof MuxErrorCode];

/**
 * The one error class of `@rec/mux` (bad options are `TypeError`s, aborts
 * reject with `signal.reason`).
 */
export class MuxError extends RecError<MuxErrorCode> {
  override readonly name = 'MuxError';
  /** The file the error is about, when there is one. */
  readonly file: string | undefined;
  /**
   * `FFMPEG_FAILED`, `FFPROBE_FAILED`: the tool's last stderr lines (the
   * message holds only the decisive one), for `--debug`.
   */
  readonly log: string | undefined;

  constructor(
    code: MuxErrorCode,
    message: string,
    options: { file?: string | undefined; cause?: unknown; log?: string | undefined } = {},
  ) {
    const { file, log, ...rest } = options;
    // Passed on as given: `cause` is set only when the caller gave one.
    super(code, message, rest);
    this.file = file;
    this.log = log;
  }
}
