import { type ByteReader, invalidOption } from '@rec/core';
import type { Box, BoxFields } from './Box.js';
import type { BoxParseError, BoxParseErrorCode } from './BoxParseError.js';
import type { ByteWriter } from './write/ByteWriter.js';

/** What a decoder knows about where it is. */
export interface DecodeContext {
  /** The box being decoded (its header properties are set). */
  readonly box: Box;
  /**
   * Its ancestors, outermost first, each with the children read so far: a
   * `stsd` decoder finds its track's `mdia/hdlr`, which files put before `minf`.
   */
  readonly ancestors: readonly Box[];
  /**
   * Notes decoders leave for later ones during one walk (a track's `tenc`
   * default IV size for its `senc`, which sits in another top-level box).
   */
  readonly notes: Map<string, unknown>;
  /** An error at this box (`BOX_INVALID` unless told), at `offset` (default: the box's own). */
  fail(message: string, options?: { offset?: number; code?: BoxParseErrorCode }): BoxParseError;
}

/**
 * How one box type is read (STYLE.md "Parsers": plain functions registered
 * by fourcc in a table the caller can narrow). Four kinds:
 * - `read` only: a box of fields; the body is loaded and decoded.
 * - `container` without `read`: child boxes fill the body; read header by
 *   header, lazily, never loaded whole (`moov`, `trak`, `moof`...).
 * - `container` with `read`: fields, then child boxes (`stsd`, sample entries, `meta`).
 * - neither: a known box without fields whose body is never loaded (`mdat`, `free`).
 */
export interface BoxDecoder<B extends Box = Box> {
  /** The fourcc (`tkhd`); one decoder per type in a table. */
  readonly type: string;
  /** Child boxes follow the fields (or fill the body when there is no `read`). */
  readonly container?: boolean;
  /**
   * Whether this decoder applies here (default: always). A sample entry
   * decoder takes its fourcc only inside `stsd`: QuickTime's `wave` holds a
   * 12-byte `mp4a` that is no sample entry.
   */
  readonly accepts?: (context: DecodeContext) => boolean;
  /**
   * Reads the fields from `reader` (the body, after the header); whatever
   * it leaves unread is the children of a container, or `trailing` bytes.
   * Short reads throw `BoxParseError` (`BOX_INVALID`) by themselves.
   */
  readonly read?: (reader: ByteReader, context: DecodeContext) => BoxFields<B>;
  /**
   * Writes the fields `read` reads (the body before any children), the
   * mirror of `read`: the writer adds the header, the children and the
   * `trailing` bytes. Every decoder with a `read` has one.
   */
  write?(box: B, writer: ByteWriter, context: EncodeContext): void;
  /**
   * The decoder of a child whose type has none in the table: sample entries
   * of an unknown fourcc (by the track's handler), `ilst` items, `tref` types.
   */
  readonly childDecoder?: (type: string, context: DecodeContext) => BoxDecoder | undefined;
}

/** What a writer knows about where it is. */
export interface EncodeContext {
  /** The ancestors of the box being written, outermost first. */
  readonly ancestors: readonly Box[];
}

/** A lookup table built from a list of decoders: a duplicate fourcc is a caller's mistake. */
export type DecoderTable = ReadonlyMap<string, BoxDecoder>;

const tables = new WeakMap<readonly BoxDecoder[], DecoderTable>();

/** Checks `decoders` (the `decoders` option) and indexes them by fourcc. */
export function decoderTable(decoders: readonly BoxDecoder[], name = 'decoders'): DecoderTable {
  const known = tables.get(decoders);
  if (known) return known;
  if (!Array.isArray(decoders)) throw invalidOption(name, 'an array of box decoders', decoders);
  const table = new Map<string, BoxDecoder>();
  for (const [index, decoder] of decoders.entries()) {
    if (typeof decoder?.type !== 'string' || decoder.type.length !== 4) {
      throw invalidOption(`${name}[${index}].type`, 'a four-character box type', decoder?.type);
    }
    if (table.has(decoder.type)) {
      throw invalidOption(
        `${name}[${index}].type`,
        'a box type no other decoder in the list has',
        decoder.type,
      );
    }
    table.set(decoder.type, decoder);
  }
  tables.set(decoders, table);
  return table;
}
