import type { SegmentKind } from '../types/Segment.js';

/** Where the segments of one kind live and how their files are named. */
export interface KindLayout {
  /** Directory under the prefix, without slashes at the ends, e.g. `00/video`. */
  directory: string;
  /** Accepted file extensions, lower case with the dot (`.h264`); matched case-insensitively. */
  extensions: readonly string[];
  /**
   * Key template of the directory that holds the files, with UTC date parts:
   * `{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/video/`. Tokens: `{prefix}`, `{kind}`,
   * `{YYYY}`, `{MM}`, `{DD}`, `{HH}`. When set, only the periods (hours, days...)
   * that overlap the window are listed, and `directory` is not used.
   */
  template?: string;
}

/**
 * Which keys are segments, of which kind, and when they start.
 * Build one with `parseLayout()`; `defaultLayout` is the legacy camera layout.
 */
export interface SegmentLayout {
  kinds: Readonly<Record<SegmentKind, KindLayout>>;
  /**
   * Applied to the file name (the part of the key after the last `/`); its
   * named group `epoch` holds the start time digits.
   */
  epochPattern: RegExp;
  /**
   * `auto`: 13 or more integer digits are milliseconds, fewer are seconds.
   */
  epochUnit: 'auto' | 's' | 'ms';
  /**
   * Literal text file names start with before the epoch (`''` for
   * `1700000000.h264`, `'seg_'` for `seg_1700000000.h264`); used to build the
   * ListObjectsV2 `StartAfter` key.
   */
  namePrefix: string;
  /**
   * Keys in a directory sort by epoch (fixed-width epochs after `namePrefix`).
   * Lets a listing start after the window's first key and stop at its end;
   * when false, whole directories are listed and sorted in memory.
   */
  sortedKeys: boolean;
  /**
   * `directory`: list `<prefix>/<directory>/` only (fast).
   * `prefix`: the legacy recursive listing of the whole prefix, keeping keys that
   * contain `/<directory>/` (slow; cost grows with the prefix).
   */
  scan: 'directory' | 'prefix';
}

/** The legacy layout: `<prefix>/00/video/<epoch>.h264`, `<prefix>/00/audio/<epoch>.wav`. */
export const defaultLayout: SegmentLayout = {
  kinds: {
    video: { directory: '00/video', extensions: ['.h264', '.264', '.h265', '.hevc'] },
    audio: { directory: '00/audio', extensions: ['.wav', '.aac'] },
  },
  epochPattern: /^(?<epoch>\d{10}|\d{13})\.[^.]+$/,
  epochUnit: 'auto',
  namePrefix: '',
  sortedKeys: true,
  scan: 'directory',
};
