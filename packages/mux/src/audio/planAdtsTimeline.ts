import { AAC_FRAME_SAMPLES } from '@rec/es-ts';
import type { AudioGap, AudioOverlap } from './planAudioTimeline.js';

/** One ADTS chunk as the planner sees it: its start on the timeline and how many frames it has. */
export interface AdtsTimelineChunk {
  /** What reports call it (the chunk's name). */
  name: string;
  /** Timeline seconds of its first frame (the epoch in its name). */
  startTime: number;
  /** ADTS frames, 1024 samples each. */
  frames: number;
  /**
   * The chunk lost its end (damaged): the next chunk does not continue its
   * frames but goes to the grid frame nearest its own start time (when that
   * is later), so the loss does not shift the audio after it.
   */
  cut?: boolean;
}

/**
 * A run of output frames, at grid index `at` (frame `at` starts at
 * `origin + at * 1024 / sampleRate`): silent frames, or frames
 * `[fromFrame, fromFrame + frames)` of one chunk.
 */
export type AdtsTimelinePiece =
  | { kind: 'silence'; at: number; frames: number }
  | { kind: 'chunk'; chunk: number; at: number; fromFrame: number; frames: number };

export interface AdtsTimelinePlan {
  /** Timeline seconds of grid frame 0: the start of the earliest chunk. */
  origin: number;
  /** Grid index of the first output frame (negative when the window starts before the first chunk). */
  firstFrame: number;
  /** Output frames. */
  frames: number;
  /** Seconds from the window start (or `origin`) to the start of the first output frame: in (-1 frame, 0]. */
  offset: number;
  pieces: AdtsTimelinePiece[];
  /** Silent frames in the output; `frames` counts samples per channel, as in `joinWav`. */
  gaps: AudioGap[];
  /** Frames of an earlier chunk dropped for a later one; `frames` counts samples per channel. */
  overlaps: AudioOverlap[];
  /** Indexes (into the input) of chunks with no frame in the output. */
  unused: number[];
  /** Where each chunk with frames went on the grid (before overlaps dropped any), in placement order. */
  placements: { chunk: number; at: number; frames: number }[];
  /** The continuity tolerance used, seconds. */
  tolerance: number;
}

export interface PlanAdtsTimelineOptions {
  chunks: readonly AdtsTimelineChunk[];
  sampleRate: number;
  /** Keep only frames that overlap [start, end); without it, every frame placed. */
  window?: { start: number; end: number };
  /** Seconds; default `defaultContinuityTolerance(chunks, sampleRate)`. */
  tolerance?: number;
}

/** Frames closer than this (in frames) to a grid line count as on it: absorbs float error only. */
const GRID_EPSILON = 1e-6;

/**
 * How far a chunk's start time may be from the end of the frames before it
 * and still count as their continuation: 1 s when every start time is a whole
 * second, else 0.5 s; never less than one frame.
 *
 * Why: a continuous encoder cuts segments at frame boundaries (2 s at 48 kHz
 * is 93.75 frames), so segment starts drift against the whole second, and the
 * epoch in a name is rounded (or truncated). The frames are placed from the
 * first chunk's name, so a later name differs from the true continuation by
 * the rounding error of two names: less than 1 s with whole-second names
 * (e.g. 1000.49 -> 1000 and 1004.50 -> 1005 look 1 s apart after 4 s of
 * audio). Nothing finer than that can be told from whole-second names, and a
 * missing segment of length L >= 2 s shows as more than L - 1 >= 1 s. With
 * millisecond names the rounding is negligible and the tolerance only has to
 * absorb the jitter of the encoder's clock reading when it opens a segment;
 * 0.5 s does, while keeping A/V drift bounded (beyond it, the name wins:
 * silence is added or frames dropped, and reported).
 */
export function defaultContinuityTolerance(
  chunks: readonly { startTime: number }[],
  sampleRate: number,
): number {
  const wholeSeconds = chunks.every((chunk) => Number.isInteger(chunk.startTime));
  return Math.max(wholeSeconds ? 1 : 0.5, AAC_FRAME_SAMPLES / sampleRate);
}

interface Placed {
  index: number;
  at: number;
  frames: number;
}

/**
 * Places ADTS chunks on one grid of 1024-sample frames, starting at the
 * earliest chunk's start time. Chunks are taken in start-time order (input
 * order for equal times); `d` is a chunk's start time minus the end of the
 * frames placed so far:
 * - `|d| < tolerance`: it continues them, its frames follow with no silence
 *   and no drop (the encoder was continuous; the name is rounded);
 * - `d >= tolerance`: a gap, filled with silent frames up to the grid frame
 *   nearest its start time;
 * - `d <= -tolerance`: an overlap; the later chunk wins from its start: the
 *   frames placed so far that start at or after the grid frame nearest its
 *   start time are dropped (earlier chunks do not resume after it).
 * After a `cut` chunk (its end is lost), a chunk whose nearest grid frame is
 * later than the cursor goes there whatever `d`: the frames lost are not
 * taken out of the time after them.
 * With a window, the output is the grid frames that overlap [start, end),
 * silent where no chunk has a frame. Pure: no I/O.
 */
export function planAdtsTimeline(options: PlanAdtsTimelineOptions): AdtsTimelinePlan {
  const { chunks, sampleRate, window } = options;
  const frameSeconds = AAC_FRAME_SAMPLES / sampleRate;
  const tolerance = options.tolerance ?? defaultContinuityTolerance(chunks, sampleRate);
  const order = chunks
    .map((chunk, index) => ({ chunk, index }))
    .sort((a, b) => a.chunk.startTime - b.chunk.startTime || a.index - b.index);
  // Chunks without frames place nothing: the grid starts at the first that has some.
  const origin = order.find(({ chunk }) => chunk.frames > 0)?.chunk.startTime ?? window?.start ?? 0;

  const placed: Placed[] = [];
  const placements: AdtsTimelinePlan['placements'] = [];
  const dropped: { overlap: AudioOverlap; from: number; to: number }[] = [];
  let cursor = 0;
  let afterCut = false;
  for (const { chunk, index } of order) {
    if (chunk.frames <= 0) continue;
    let at = 0;
    if (placed.length > 0) {
      const d = chunk.startTime - (origin + cursor * frameSeconds);
      const nearest = Math.round((chunk.startTime - origin) / frameSeconds);
      if (afterCut && nearest > cursor) at = nearest;
      else if (Math.abs(d) < tolerance) at = cursor;
      else if (d > 0) at = Math.max(cursor, nearest);
      else {
        at = Math.min(cursor, nearest);
        for (let k = placed.length - 1; k >= 0; k--) {
          const earlier = placed[k] as Placed;
          if (earlier.at + earlier.frames <= at) break;
          const keep = Math.max(0, at - earlier.at);
          const lost = earlier.frames - keep;
          if (lost > 0) {
            dropped.push({
              overlap: {
                at: origin + at * frameSeconds,
                seconds: lost * frameSeconds,
                frames: lost * AAC_FRAME_SAMPLES,
                trimmed: chunks[earlier.index]?.name ?? '',
                kept: chunk.name,
              },
              from: earlier.at + keep,
              to: earlier.at + earlier.frames,
            });
          }
          earlier.frames = keep;
        }
      }
    }
    placed.push({ index, at, frames: chunk.frames });
    placements.push({ chunk: index, at, frames: chunk.frames });
    cursor = at + chunk.frames;
    afterCut = chunk.cut === true;
  }

  // The output range of grid frames, [first, end).
  let first = 0;
  let end = cursor;
  if (window !== undefined) {
    first = Math.floor((window.start - origin) / frameSeconds + GRID_EPSILON);
    end = Math.max(first + 1, Math.ceil((window.end - origin) / frameSeconds - GRID_EPSILON));
  }

  const pieces: AdtsTimelinePiece[] = [];
  const gaps: AudioGap[] = [];
  const used = new Set<number>();
  const silence = (from: number, to: number) => {
    if (to <= from) return;
    pieces.push({ kind: 'silence', at: from, frames: to - from });
    gaps.push({
      at: origin + from * frameSeconds,
      seconds: (to - from) * frameSeconds,
      frames: (to - from) * AAC_FRAME_SAMPLES,
    });
  };
  let position = first;
  for (const p of placed) {
    const from = Math.max(p.at, position);
    const to = Math.min(p.at + p.frames, end);
    if (to <= from) continue;
    silence(position, from);
    pieces.push({ kind: 'chunk', chunk: p.index, at: from, fromFrame: from - p.at, frames: to - from });
    used.add(p.index);
    position = to;
  }
  silence(position, end);

  const overlaps = dropped.filter(({ from, to }) => from < end && to > first).map(({ overlap }) => overlap);
  return {
    origin,
    firstFrame: first,
    frames: end - first,
    // Clamped: float error must not make it positive.
    offset: window === undefined ? 0 : Math.min(0, origin + first * frameSeconds - window.start),
    pieces,
    gaps,
    overlaps,
    unused: order.map(({ index }) => index).filter((index) => !used.has(index)),
    placements,
    tolerance,
  };
}
