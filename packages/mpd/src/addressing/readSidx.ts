import {
  type Box,
  BoxParseError,
  defaultDecoders,
  findBox,
  parseBoxes,
  type SegmentIndexBox as SidxBox,
} from '@rec/fmp4-boxes';
import type { SegmentIndexBox } from './SegmentIndex.js';

/** The top level only, and only the sidx decoded: the boxes around it keep their headers. */
const SIDX_ONLY = { maxDepth: 0, decoders: defaultDecoders.filter((decoder) => decoder.type === 'sidx') };

/**
 * The first `sidx` of `bytes`, decoded by `@rec/fmp4-boxes`. The index range
 * may start at a `styp` or another box, and end inside the box after the
 * sidx; a box cut or bad before the sidx, or the sidx's own damage, is
 * thrown as the `BoxParseError` that says where.
 */
export function readSidx(bytes: Uint8Array): SegmentIndexBox {
  const sidx = findBox(topLevelBoxes(bytes), 'sidx') as SidxBox | undefined;
  if (!sidx) throw new Error(`no sidx box in ${bytes.length} bytes`);
  return {
    offset: sidx.offset,
    size: sidx.size,
    timescale: sidx.timeScale,
    earliestPresentationTime: BigInt(sidx.earliestPresentationTime),
    firstOffset: Number(sidx.firstOffset),
    references: sidx.references,
  };
}

/**
 * `parseBoxes` throws at the first box it cannot read whole; an index range
 * that ends inside the box after the sidx is not damage. The boxes before
 * the failure are read again on their own, and the failure is thrown only
 * when no sidx is among them.
 */
function topLevelBoxes(bytes: Uint8Array): Box[] {
  try {
    return parseBoxes(bytes, SIDX_ONLY);
  } catch (error) {
    if (!(error instanceof BoxParseError) || error.offset === 0) throw error;
    let before: Box[] = [];
    try {
      before = parseBoxes(bytes.subarray(0, error.offset), SIDX_ONLY);
    } catch {
      // The failure was inside a box (a field of the sidx): that box's error is the one to give.
    }
    if (findBox(before, 'sidx')) return before;
    throw error;
  }
}
