import type { Box } from '../Box.js';
import { type BoxDecoder, type DecodeContext, type DecoderTable, decoderTable } from '../BoxDecoder.js';
import { BoxParseError } from '../BoxParseError.js';
import { defaultDecoders } from '../defaultDecoders.js';
import { ByteWriter } from './ByteWriter.js';

export interface EncodeOptions {
  /** The decoders whose `write` serializes the boxes (default `defaultDecoders`). */
  decoders?: readonly BoxDecoder[];
  /**
   * The bytes the boxes were read from, starting at file offset
   * `originalOffset` (default 0): the bodies of boxes without a writer
   * (`mdat`, unknown types) are copied from there.
   */
  original?: Uint8Array;
  originalOffset?: number;
  /**
   * The boxes around the ones written, outermost first, for writers that
   * depend on where a box is (a sample entry is one inside an `stsd`, and
   * its layout follows the stsd version).
   */
  ancestors?: readonly Box[];
}

/**
 * Serializes boxes (as `parseBoxes`/`readBoxes` give them, or built by
 * hand) to bytes: for each, the header (a 64-bit largesize when its
 * `headerSize` says so, size 0 when `sizeIsZero`, the `uuid` usertype), its
 * decoder's `write` (the fields), its `children`, then `trailing`. A box
 * without a writer takes its `payload`, else its bytes in `original`, else
 * it is a `TypeError`. Sizes are computed, not taken from `size`, so edited
 * or built boxes come out right; a box read and left alone writes back as
 * the bytes it was read from.
 */
export function encodeBoxes(boxes: readonly Box[], options: EncodeOptions = {}): Uint8Array {
  const writer = new ByteWriter();
  const table = decoderTable(options.decoders ?? defaultDecoders);
  const ancestors = options.ancestors ?? [];
  const parent = ancestors.at(-1);
  const parentDecoder = parent === undefined ? undefined : table.get(parent.type);
  for (const box of boxes) writeBox(writer, box, parentDecoder, ancestors, table, options);
  return writer.toBytes();
}

/** One box (and its subtree) as bytes; see `encodeBoxes`. */
export function encodeBox(box: Box, options: EncodeOptions = {}): Uint8Array {
  return encodeBoxes([box], options);
}

function writeBox(
  writer: ByteWriter,
  box: Box,
  parentDecoder: BoxDecoder | undefined,
  ancestors: readonly Box[],
  table: DecoderTable,
  options: EncodeOptions,
): void {
  if (box.invalid !== undefined) {
    throw new TypeError(
      `${box.path}: its fields could not be read (${box.invalid.message}), so it cannot be written`,
    );
  }
  const start = writer.length;
  const isUuid = box.type === 'uuid';
  const large = (box.headerSize ?? 8) - (isUuid ? 16 : 0) === 16;
  writer.u32(0).fourcc(box.type); // size (set below), type
  if (large) writer.u64(0); // largesize (set below)
  if (isUuid) writer.hex16(box.usertype ?? ''); // usertype
  const context = decodeContext(box, ancestors);
  const usable = (candidate: BoxDecoder | undefined) =>
    candidate !== undefined && candidate.accepts?.(context) !== false ? candidate : undefined;
  const decoder = usable(table.get(box.type)) ?? usable(parentDecoder?.childDecoder?.(box.type, context));
  const lineage = [...ancestors, box];
  if (decoder?.write) {
    decoder.write(box, writer, { ancestors });
    if (decoder.container) {
      for (const child of box.children ?? []) writeBox(writer, child, decoder, lineage, table, options);
    }
    if (box.trailing) writer.bytes(box.trailing);
  } else if (decoder?.container && decoder.read === undefined) {
    for (const child of box.children ?? []) writeBox(writer, child, decoder, lineage, table, options);
    if (box.trailing) writer.bytes(box.trailing);
  } else {
    writer.bytes(bodyOf(box, options)); // the whole body as it was (children and trailing bytes included)
  }
  const size = writer.length - start;
  if (box.sizeIsZero) return; // "extends to the end of the file" (4.2.2): the 0 stays
  if (large) {
    writer.setU32(start, 1).setU64(start + 8, size);
  } else {
    if (size > 0xffffffff)
      throw new RangeError(`${box.path || box.type}: ${size} bytes need a 64-bit largesize`);
    writer.setU32(start, size);
  }
}

/** The body of a box no writer writes: its payload, or its bytes in the original. */
function bodyOf(box: Box, options: EncodeOptions): Uint8Array {
  if (box.payload) return box.payload;
  const { original } = options;
  if (original !== undefined) {
    const at = box.offset - (options.originalOffset ?? 0) + box.headerSize;
    const end = box.offset - (options.originalOffset ?? 0) + box.size;
    if (at >= 0 && end <= original.length && at <= end) return original.subarray(at, end);
  }
  throw new TypeError(
    `Expected \`${box.path || box.type}\` to have a payload or bytes in \`original\`: no decoder writes \`${box.type}\``,
  );
}

function decodeContext(box: Box, ancestors: readonly Box[]): DecodeContext {
  return {
    box,
    ancestors,
    notes: new Map(),
    fail: (message) => new BoxParseError('BOX_INVALID', message, { offset: box.offset, path: box.path }),
  };
}

/**
 * Writes `box` (its fields edited, its size not) over its own bytes in
 * `bytes`, which hold the file from offset `bytesOffset` (default 0): an
 * in-place patch of fixed-size fields (a duration, an edit) that leaves
 * every other byte and offset of the file alone. A box that would encode
 * to another size is a `RangeError` and nothing is written.
 */
export function overwriteBox(
  bytes: Uint8Array,
  box: Box,
  options: EncodeOptions & { bytesOffset?: number } = {},
): void {
  const { bytesOffset = 0, ...encode } = options;
  const encoded = encodeBox(box, encode);
  if (encoded.length !== box.size) {
    throw new RangeError(`${box.path} would change size (${box.size} -> ${encoded.length} bytes)`);
  }
  const at = box.offset - bytesOffset;
  if (at < 0 || at + encoded.length > bytes.length) {
    throw new RangeError(
      `${box.path} at ${box.offset} is not inside the ${bytes.length} bytes from ${bytesOffset}`,
    );
  }
  bytes.set(encoded, at);
}
