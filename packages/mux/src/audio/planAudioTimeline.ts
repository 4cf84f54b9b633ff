/** One chunk as the planner sees it: where it starts on the timeline and how many sample frames it has. */
export interface TimelineChunk {
  /** What reports call it (the chunk's name). */
  name: string;
  /** Timeline seconds of its first sample. */
  startTime: number;
  frames: number;
}

/** A stretch of output: silence, or a run of frames copied from one chunk. */
export type TimelinePiece =
  | { kind: 'silence'; frames: number }
  | { kind: 'chunk'; chunk: number; fromFrame: number; frames: number };

/** Missing audio filled with silence. */
export interface AudioGap {
  /** Timeline seconds where the silence starts. */
  at: number;
  seconds: number;
  frames: number;
}

/**
 * Two chunks that claim the same instants. The later chunk wins: the earlier
 * one is cut where the later one starts (`trimmed` loses `seconds`).
 */
export interface AudioOverlap {
  /** Timeline seconds where the later chunk starts. */
  at: number;
  seconds: number;
  frames: number;
  /** Name of the chunk that lost the overlap (the earlier one). */
  trimmed: string;
  /** Name of the chunk that kept it. */
  kept: string;
}

export interface AudioTimelinePlan {
  /** Timeline seconds of output frame 0. */
  startTime: number;
  /** Output length in sample frames. */
  frames: number;
  pieces: TimelinePiece[];
  gaps: AudioGap[];
  overlaps: AudioOverlap[];
  /** Indexes (into the input) of chunks that contribute nothing (outside the window, or fully overlapped). */
  unused: number[];
}

export interface PlanAudioTimelineOptions {
  chunks: readonly TimelineChunk[];
  sampleRate: number;
  /** Cut to [start, end); without it, from the first chunk start to the last chunk end. */
  window?: { start: number; end: number };
}

interface Placed {
  chunk: TimelineChunk;
  index: number;
  /** Output frame index of its first frame (may be negative: before the window). */
  start: number;
  end: number;
  frames: number;
}

/**
 * Places chunks on the timeline at sample precision: chunk i starts at frame
 * round((startTime_i - start) * sampleRate). Gaps become silence of exactly
 * their length, overlaps are resolved in favour of the chunk that started later
 * (its start is the timestamp that was measured; the earlier chunk's tail is
 * the part furthest from its own timestamp, so the most drifted; where the
 * later chunk ends first, the earlier one resumes), and the result is cut to the
 * window. Pure: no I/O.
 */
export function planAudioTimeline(options: PlanAudioTimelineOptions): AudioTimelinePlan {
  const { sampleRate } = options;
  const order = options.chunks
    .map((chunk, index) => ({ chunk, index }))
    .sort((a, b) => a.chunk.startTime - b.chunk.startTime || a.index - b.index);
  const origin = options.window?.start ?? order[0]?.chunk.startTime ?? 0;
  const placed: Placed[] = order.map(({ chunk, index }) => {
    const start = Math.round((chunk.startTime - origin) * sampleRate);
    return { chunk, index, start, end: start + chunk.frames, frames: chunk.frames };
  });

  const total = options.window
    ? Math.round((options.window.end - options.window.start) * sampleRate)
    : placed.reduce((end, p) => Math.max(end, p.end), 0); // no spread: a day is 43200 chunks
  const pieces: TimelinePiece[] = [];
  const gaps: AudioGap[] = [];
  const overlaps: AudioOverlap[] = [];
  const used = new Set<number>();
  const emit = (piece: TimelinePiece) => {
    const last = pieces.at(-1);
    if (
      piece.kind === 'chunk' &&
      last?.kind === 'chunk' &&
      last.chunk === piece.chunk &&
      last.fromFrame + last.frames === piece.fromFrame
    ) {
      last.frames += piece.frames;
    } else if (piece.kind === 'silence' && last?.kind === 'silence') {
      last.frames += piece.frames;
    } else {
      pieces.push(piece);
    }
  };

  // Sweep: at every instant the chunk that started last among those covering it wins. Chunks
  // are pushed in start order, so the newest live chunk is on top of the stack; ended ones are
  // dropped when they surface.
  const stack: Placed[] = [];
  let next = 0;
  let cursor = 0;
  while (cursor < total) {
    for (let p = placed[next]; p !== undefined && p.start <= cursor; p = placed[++next]) {
      while (stack.length > 0 && (stack.at(-1) as Placed).end <= p.start) stack.pop();
      const top = stack.at(-1);
      if (top !== undefined && p.frames > 0) {
        const frames = Math.min(top.end, p.end) - p.start;
        overlaps.push({
          at: origin + p.start / sampleRate,
          seconds: frames / sampleRate,
          frames,
          trimmed: top.chunk.name,
          kept: p.chunk.name,
        });
      }
      stack.push(p);
    }
    while (stack.length > 0 && (stack.at(-1) as Placed).end <= cursor) stack.pop();
    const nextStart = placed[next]?.start ?? Number.POSITIVE_INFINITY;
    const top = stack.at(-1);
    const until = Math.min(total, nextStart, top?.end ?? Number.POSITIVE_INFINITY);
    if (top === undefined) {
      emit({ kind: 'silence', frames: until - cursor });
      const gap = gaps.at(-1);
      if (gap !== undefined && Math.round((gap.at - origin) * sampleRate) + gap.frames === cursor) {
        gap.frames += until - cursor;
        gap.seconds = gap.frames / sampleRate;
      } else {
        gaps.push({
          at: origin + cursor / sampleRate,
          seconds: (until - cursor) / sampleRate,
          frames: until - cursor,
        });
      }
    } else {
      emit({ kind: 'chunk', chunk: top.index, fromFrame: cursor - top.start, frames: until - cursor });
      used.add(top.index);
    }
    cursor = until;
  }
  const unused = order.map(({ index }) => index).filter((index) => !used.has(index));
  return { startTime: origin, frames: total, pieces, gaps, overlaps, unused };
}
