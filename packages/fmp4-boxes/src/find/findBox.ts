import type { Box } from '../Box.js';
import type { BoxAt } from '../BoxTypes.js';

type Step = { type: string; index?: number };

function parsePath(path: string): Step[] {
  return path
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^(.{4})\[(\d+)\]$/.exec(part);
      return match ? { type: match[1]!, index: Number(match[2]) } : { type: part };
    });
}

/**
 * Every box at `path` under `from` (a box's children, or a list of boxes):
 * `findBoxes(boxes, 'moov/trak')` gives every track, `moof/traf/trun` every
 * run of every fragment. A step may name one sibling by index,
 * `moov/trak[1]` (0-based, as in `Box.path`).
 */
export function findBoxes<P extends string>(from: Box | readonly Box[], path: P): BoxAt<P>[] {
  let level: readonly Box[] = Array.isArray(from) ? from : ((from as Box).children ?? []);
  const steps = parsePath(path);
  for (const [i, step] of steps.entries()) {
    const matching = level.filter((box) => box.type === step.type);
    const picked = step.index === undefined ? matching : matching.slice(step.index, step.index + 1);
    level = i === steps.length - 1 ? picked : picked.flatMap((box) => box.children ?? []);
  }
  return level as BoxAt<P>[];
}

/** The first box at `path` under `from` (see `findBoxes`), or undefined. */
export function findBox<P extends string>(from: Box | readonly Box[], path: P): BoxAt<P> | undefined {
  return findBoxes(from, path)[0];
}
