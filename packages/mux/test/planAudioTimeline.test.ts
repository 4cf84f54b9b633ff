import { describe, expect, it } from 'vitest';
import { planAudioTimeline, type TimelineChunk } from '../src/audio/planAudioTimeline.js';

const chunk = (name: string, startTime: number, frames: number): TimelineChunk => ({
  name,
  startTime,
  frames,
});

describe('planAudioTimeline', () => {
  it.each<[string, TimelineChunk[], { start: number; end: number } | undefined, unknown[]]>([
    [
      'contiguous chunks',
      [chunk('a', 0, 10), chunk('b', 1, 10)],
      undefined,
      [
        { kind: 'chunk', chunk: 0, fromFrame: 0, frames: 10 },
        { kind: 'chunk', chunk: 1, fromFrame: 0, frames: 10 },
      ],
    ],
    [
      'a gap',
      [chunk('a', 0, 10), chunk('b', 1.5, 10)],
      undefined,
      [
        { kind: 'chunk', chunk: 0, fromFrame: 0, frames: 10 },
        { kind: 'silence', frames: 5 },
        { kind: 'chunk', chunk: 1, fromFrame: 0, frames: 10 },
      ],
    ],
    [
      'a window inside one chunk',
      [chunk('a', 0, 10), chunk('b', 1, 10)],
      { start: 1.2, end: 1.5 },
      [{ kind: 'chunk', chunk: 1, fromFrame: 2, frames: 3 }],
    ],
    [
      'a window wider than the chunks',
      [chunk('a', 0, 10)],
      { start: -0.5, end: 1.5 },
      [
        { kind: 'silence', frames: 5 },
        { kind: 'chunk', chunk: 0, fromFrame: 0, frames: 10 },
        { kind: 'silence', frames: 5 },
      ],
    ],
    [
      'unsorted input, overlap (later wins)',
      [chunk('b', 0.5, 10), chunk('a', 0, 10)],
      undefined,
      [
        { kind: 'chunk', chunk: 1, fromFrame: 0, frames: 5 },
        { kind: 'chunk', chunk: 0, fromFrame: 0, frames: 10 },
      ],
    ],
    [
      'a chunk inside another (the outer one resumes)',
      [chunk('a', 0, 30), chunk('b', 1, 10)],
      undefined,
      [
        { kind: 'chunk', chunk: 0, fromFrame: 0, frames: 10 },
        { kind: 'chunk', chunk: 1, fromFrame: 0, frames: 10 },
        { kind: 'chunk', chunk: 0, fromFrame: 20, frames: 10 },
      ],
    ],
  ])('%s', (_, chunks, window, pieces) => {
    const plan = planAudioTimeline({ chunks, sampleRate: 10, window });
    expect(plan.pieces).toEqual(pieces);
    expect(plan.frames).toBe(plan.pieces.reduce((sum, piece) => sum + piece.frames, 0));
  });

  it('lists chunks that contribute nothing', () => {
    const plan = planAudioTimeline({
      chunks: [chunk('a', 0, 10), chunk('b', 5, 10)],
      sampleRate: 10,
      window: { start: 2, end: 3 },
    });
    expect(plan.unused).toEqual([0, 1]);
    expect(plan.gaps).toEqual([{ at: 2, seconds: 1, frames: 10 }]);
  });
});
