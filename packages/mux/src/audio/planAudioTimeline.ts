/** One chunk as the planner sees it: where it starts on the timeline and how many sample frames it has. */
export interface TimelineChunk {
  file: string;
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
 * one is cut where the later one starts (`trimmedFile` loses `seconds`).
 */
export interface AudioOverlap {
  /** Timeline seconds where the later chunk starts. */
  at: number;
  seconds: number;
  frames: number;
  trimmedFile: string;
  keptFile: string;
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

/**
 * Places chunks on the timeline at sample precision: chunk i starts at frame
 * round((startTime_i - start) * sampleRate). Gaps become silence of exactly
 * their length, overlaps are resolved in favour of the later chunk (its
 * start is the timestamp that was measured; the earlier chunk's tail is the
 * part furthest from its own timestamp), and the result is cut to the
 * window. Pure: no I/O.
 */
export function planAudioTimeline(options: PlanAudioTimelineOptions): AudioTimelinePlan {
  const { sampleRate } = options;
  const order = options.chunks
    .map((chunk, index) => ({ chunk, index }))
    .sort((a, b) => a.chunk.startTime - b.chunk.startTime || a.index - b.index);
  const origin = options.window?.start ?? order[0]?.chunk.startTime ?? 0;
  const placed = order.map(({ chunk, index }) => {
    const start = Math.round((chunk.startTime - origin) * sampleRate);
    return { chunk, index, start, end: start + chunk.frames, keepEnd: start + chunk.frames };
  });

  const overlaps: AudioOverlap[] = [];
  for (let i = 0; i + 1 < placed.length; i++) {
    const current = placed[i];
    const next = placed[i + 1];
    if (current === undefined || next === undefined || current.end <= next.start) continue;
    current.keepEnd = Math.max(current.start, next.start);
    const frames = current.end - current.keepEnd;
    overlaps.push({
      at: origin + next.start / sampleRate,
      seconds: frames / sampleRate,
      frames,
      trimmedFile: current.chunk.file,
      keptFile: next.chunk.file,
    });
  }

  const total = options.window
    ? Math.round((options.window.end - options.window.start) * sampleRate)
    : Math.max(0, ...placed.map((p) => p.end));
  const pieces: TimelinePiece[] = [];
  const gaps: AudioGap[] = [];
  const unused: number[] = [];
  const addSilence = (from: number, to: number) => {
    if (to <= from) return;
    pieces.push({ kind: 'silence', frames: to - from });
    gaps.push({ at: origin + from / sampleRate, seconds: (to - from) / sampleRate, frames: to - from });
  };
  let cursor = 0;
  for (const p of placed) {
    const from = Math.max(p.start, cursor);
    const to = Math.min(p.keepEnd, total);
    if (to <= from) {
      unused.push(p.index);
      continue;
    }
    addSilence(cursor, from);
    pieces.push({ kind: 'chunk', chunk: p.index, fromFrame: from - p.start, frames: to - from });
    cursor = to;
  }
  addSilence(cursor, total);
  return { startTime: origin, frames: total, pieces, gaps, overlaps, unused };
}
