import type { TimeRange } from '@rec/core';

/** Why (part of) an audio chunk is missing from a join ({@link AudioDamage.reason}). */
export const AudioDamageReason = {
  /** The chunk has no bytes: skipped. */
  Empty: 'empty',
  /**
   * Not a chunk the join can read (not a RIFF/WAVE file, not integer PCM,
   * no ADTS frame, not AAC LC): skipped.
   */
  Unreadable: 'unreadable',
  /** The header claims more data than the file holds (a WAV data chunk, the last ADTS frame): what exists is used. */
  Truncated: 'truncated',
  /** A WAV data chunk claims less than the file holds after it, and the rest is no RIFF chunk: the rest is ignored. */
  Excess: 'excess',
  /**
   * ADTS: bytes after the first frames that are not frames of the same
   * stream (garbage, a format change): the chunk is cut there. The frames
   * after them are not used: how much time the bad bytes stand for is unknown,
   * so those frames could not be put at their time.
   */
  Invalid: 'invalid',
} as const;
export type AudioDamageReason = (typeof AudioDamageReason)[keyof typeof AudioDamageReason];

/**
 * A damaged chunk and the part of the timeline its damage costs, `[start,
 * end)` in timeline seconds (the chunks' `startTime` scale), within the
 * window when there is one: a gap in the recording, as es-ts `EsDamage` is
 * for video. A skipped chunk loses from its `startTime` up to the next
 * chunk's `startTime` (or the window end); a cut one from the end of what it
 * gave up to the next chunk's `startTime`, or where its header says it ends
 * if that is earlier. Without a next chunk and without a window, a loss
 * whose end is unknown is an empty range.
 */
export interface AudioDamage extends TimeRange {
  /** The chunk's name (`name` as the caller gave it, else its file). */
  source: string;
  reason: AudioDamageReason;
  /** As the warning says it: the chunk, what was found, what was lost. */
  message: string;
}

/** What a reader found wrong with one chunk, before the timeline says what it costs. */
export interface ChunkDamage {
  reason: AudioDamageReason;
  /** The chunk's name and what was found, e.g. `a/1000.wav: empty (0 bytes)`. */
  description: string;
  /** Timeline seconds where the chunk's own header says its audio ends, when it says so (truncated WAV). */
  nominalEnd?: number;
}

/**
 * The timeline range a damaged chunk costs: from `lostFrom` (where what it
 * gave ends; its start when skipped) to the first of `nominalEnd`, the next
 * chunk start after its own, and `window.end`; clipped to the window.
 */
export function damageRange(options: {
  lostFrom: number;
  startTime: number;
  nominalEnd: number | undefined;
  /** Start times of every chunk of the join. */
  starts: readonly number[];
  window: TimeRange | undefined;
}): TimeRange {
  const { lostFrom, startTime, window } = options;
  let next = Number.POSITIVE_INFINITY;
  for (const start of options.starts) if (start > startTime && start < next) next = start;
  let end = Math.min(options.nominalEnd ?? Number.POSITIVE_INFINITY, next, window?.end ?? next);
  if (!Number.isFinite(end)) end = lostFrom;
  const start = window === undefined ? lostFrom : Math.min(Math.max(lostFrom, window.start), window.end);
  return { start, end: Math.max(start, Math.min(end, window?.end ?? end)) };
}

/** `1.250 s`: seconds as the damage messages give them. */
export const formatSeconds = (seconds: number): string => `${seconds.toFixed(3)} s`;
