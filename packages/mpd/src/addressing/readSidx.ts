import { parseBoxes, type SegmentIndexBox as SidxBox } from '@rec/fmp4-boxes';
import type { SegmentIndexBox } from './SegmentIndex.js';

/**
 * The first `sidx` of `bytes`, decoded by `@rec/fmp4-boxes`. Only the box
 * headers before it are walked (the index range may start at a `styp`, or
 * end inside the next box), then the sidx alone is decoded.
 */
export function readSidx(bytes: Uint8Array): SegmentIndexBox {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = view.getUint32(offset); // size
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8)); // type
    if (size === 1 && offset + 16 <= bytes.length) size = Number(view.getBigUint64(offset + 8)); // largesize
    if (type === 'sidx') {
      const [box] = parseBoxes(bytes.subarray(offset, offset + Math.max(size, 8)), { offset });
      if (box?.type !== 'sidx') break;
      const sidx = box as SidxBox;
      return {
        offset: sidx.offset,
        size: sidx.size,
        timescale: sidx.timeScale,
        earliestPresentationTime: BigInt(sidx.earliestPresentationTime),
        firstOffset: Number(sidx.firstOffset),
        references: sidx.references,
      };
    }
    if (size < 8) break;
    offset += size;
  }
  throw new Error(`no sidx box in ${bytes.length} bytes`);
}
