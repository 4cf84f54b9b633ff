import type { Box, SampleDescriptionBox } from '@rec/fmp4-boxes';
import { bento4Decodes, formatOf } from './fields/formatOf.js';
import { bento4ShowsEntryChildren } from './fields/sampleEntries.js';
import { bento4StsdEntries } from './fields/sampleTables.js';
import { printableType, uuidName } from './fields/values.js';
import type { Inspector } from './inspect/Inspector.js';

export interface InspectSettings {
  /** Bento4's field set (`--bento4`). */
  bento4: boolean;
  /**
   * The first body bytes of boxes we do not decode, read beforehand (the
   * walker never loads them): shown at verbosity 2 in the default mode, and
   * an unknown sample entry's data_reference_index in both.
   */
  bodies?: ReadonlyMap<Box, Uint8Array>;
}

/** How many body bytes of an undecoded box the default mode shows at verbosity 2. */
export const UNKNOWN_BYTES_SHOWN = 32;

/** Whether the body bytes of `box` are wanted (for `InspectSettings.bodies`). */
export function wantsBody(box: Box, ancestors: readonly Box[], out: Inspector): boolean {
  if (box.children !== undefined || box.size <= box.headerSize) return false;
  if (ancestors[ancestors.length - 1]?.type === 'stsd') return !('dataReferenceIndex' in box);
  return (
    out.all && out.verbosity >= 2 && (box.invalid !== undefined || formatOf(box, ancestors) === undefined)
  );
}

/**
 * Writes `box` and its subtree (Bento4's `AP4_Atom::Inspect`): the header,
 * the fields, the children. `ancestors` (outermost first) is used as a
 * stack and comes back as it was. Returns the number of boxes written.
 */
export function inspectBox(box: Box, ancestors: Box[], out: Inspector, settings: InspectSettings): number {
  // A box whose fields could not be read shows as one we do not decode (Bento4 makes it an unknown atom).
  const format = box.invalid === undefined ? formatOf(box, ancestors) : undefined;
  const name =
    box.type === 'uuid' && box.usertype !== undefined ? uuidName(box.usertype) : printableType(box.type);
  const inStsd = ancestors[ancestors.length - 1]?.type === 'stsd';
  if (format === undefined || (settings.bento4 && !bento4Decodes(format, box, ancestors))) {
    // A box Bento4 (or we) cannot decode: its header as read, and for an unknown sample entry, the index Bento4 reads.
    out.startAtom(name, 0, 0, box.headerSize, box.size, box.offset);
    const body = settings.bodies?.get(box);
    if (inStsd) {
      const index =
        format === undefined ? bodyIndex(body) : (box as { dataReferenceIndex?: number }).dataReferenceIndex;
      if (index !== undefined) out.int('data_reference_index', index);
    } else if (body && out.all && format === undefined) {
      out.bytes(body.length < box.size - box.headerSize ? `first ${body.length} bytes` : 'bytes', body);
    }
    out.endAtom();
    return 1;
  }
  const full = box as Box & { version?: unknown; flags?: unknown };
  const isFull =
    typeof full.version === 'number' &&
    typeof full.flags === 'number' &&
    !(settings.bento4 && format.bento4PlainHeader === true);
  out.startAtom(
    name,
    isFull ? (full.version as number) : 0,
    isFull ? (full.flags as number) : 0,
    box.headerSize + (isFull ? 4 : 0),
    box.size,
    box.offset,
  );
  format.fields?.(box, out, ancestors);
  let count = 1;
  const children = box.children;
  if (
    children !== undefined &&
    !format.leaf &&
    !(settings.bento4 && inStsd && !bento4ShowsEntryChildren(box))
  ) {
    ancestors.push(box);
    // An index, not for-of: before V8's top tier, for-of runs the iterator protocol (a dump is
    // thousands of short child lists).
    const shown =
      settings.bento4 && box.type === 'stsd'
        ? bento4StsdEntries(box as SampleDescriptionBox)
        : children.length;
    for (let i = 0; i < shown; i++) {
      const child = children[i]!;
      // Size 0 inside a box (to its end, as ffmpeg reads it): Bento4 takes it as running to the end
      // of the file, past its parent, and drops it (the last child, by its size).
      if (settings.bento4 && child.sizeIsZero === true) break;
      count += inspectBox(child, ancestors, out, settings);
    }
    ancestors.pop();
  }
  out.endAtom();
  return count;
}

/** SampleEntry (14496-12 8.5.2.2): reserved(6 bytes) then data_reference_index(16). */
function bodyIndex(body: Uint8Array | undefined): number | undefined {
  return body && body.length >= 8 ? (body[6]! << 8) | body[7]! : undefined;
}
