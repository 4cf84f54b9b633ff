import { invalidOption } from '@rec/core';
import type { Box } from '@rec/fmp4-boxes';

/**
 * A `--path` such as `moov/trak/tkhd` or `moov/trak[1]/mdia`: one segment
 * per level, a fourcc (every sibling of that type), a fourcc with a 0-based
 * index among its same-type siblings (as `Box.path` writes it), or `*`.
 */
export type PathPattern = readonly string[];

export function parsePathPattern(path: string): PathPattern {
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((s) => !/^(\*|.{4}(\[\d+\])?)$/su.test(s))) {
    throw invalidOption(
      'path',
      'box types separated by slashes, such as `moov/trak/tkhd` or `moof/traf[1]/trun`',
      path,
    );
  }
  return segments;
}

/** Whether `segment` (a fourcc with its `[n]` index when not the first of its type) matches `pattern`'s one. */
function matches(pattern: string, segment: string): boolean {
  if (pattern === '*' || pattern === segment) return true;
  // A bare fourcc matches every index; `trak[0]` is the first trak, whose own segment has no index.
  if (pattern.length === 4) return segment.startsWith(`${pattern}[`);
  return pattern.endsWith('[0]') && pattern.slice(0, 4) === segment;
}

/**
 * Calls `visit` with each box at `pattern` under `top` (a top-level box) and
 * its ancestors, in file order; the subtree of a match is not searched again.
 */
export function visitMatches(
  top: Box,
  pattern: PathPattern,
  visit: (box: Box, ancestors: Box[]) => void,
): void {
  const ancestors: Box[] = [];
  const walk = (box: Box, depth: number, segment: string) => {
    if (!matches(pattern[depth]!, segment)) return;
    if (depth === pattern.length - 1) {
      visit(box, ancestors);
      return;
    }
    if (!box.children) return;
    ancestors.push(box);
    const seen = new Map<string, number>();
    for (const child of box.children) {
      const index = seen.get(child.type) ?? 0;
      seen.set(child.type, index + 1);
      walk(child, depth + 1, index === 0 ? child.type : `${child.type}[${index}]`);
    }
    ancestors.pop();
  };
  walk(top, 0, lastSegment(top));
}

/** A top-level box's own segment, with its index as `Box.path` has it. */
function lastSegment(box: Box): string {
  const slash = box.path.lastIndexOf('/');
  const segment = slash < 0 ? box.path : box.path.slice(slash + 1);
  // Box.path writes control characters of a corrupt fourcc as \xNN; compare on the type then.
  return segment.startsWith(box.type) ? segment : box.type;
}
