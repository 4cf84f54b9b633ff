import type { BoxParseError } from './BoxParseError.js';

/**
 * A 64-bit unsigned field: a number, or a bigint when it is above 2^53 - 1
 * (an all-ones `duration`, which ISO/IEC 14496-12 8.2.2.3 uses for
 * "unknown", or a corrupt value that is still the value the file holds).
 */
export type Uint64 = number | bigint;

/**
 * A column of 64-bit unsigned fields (co64 chunk offsets, saio version 1
 * offsets): a `Float64Array` while every value fits in 2^53 - 1, a
 * `BigUint64Array` (exact) when one does not, so that a box writes back the
 * bytes it was read from. `Number(entries[i])` reads either; no real file
 * is 2^53 bytes long, so a bigint column is a damaged or hand-made box.
 */
export type Uint64Array = Float64Array | BigUint64Array;

/**
 * One box (ISO/IEC 14496-12 4.2): where it is and, when a decoder knows its
 * type, its fields (camelCase of Bento4's member names: `m_TimeScale` is
 * `timeScale`). Decoded box types extend this one (`TrackHeaderBox`, ...).
 */
export interface Box {
  /** Four-character code, Latin-1 (`moov`, `url `, `©nam`). */
  type: string;
  /** Absolute offset of the box's first byte. */
  offset: number;
  /** The whole box, header included (what a size of 0 came to: the rest of its parent or file). */
  size: number;
  /** Bytes before the body: 8, 16 with a 64-bit `largesize`, 16 more for a `uuid` box's usertype. */
  headerSize: number;
  /** Set when the size field was 0 ("the box extends to the end of the file", 4.2.2). */
  sizeIsZero?: true;
  /** `uuid` boxes: the extended type, 32 lowercase hex digits. */
  usertype?: string;
  /** Path from the top, with the index of repeated siblings: `moov/trak[1]/mdia`. */
  path: string;
  /** 0 for a top-level box. */
  depth: number;
  /** Child boxes of a container, in file order. */
  children?: Box[];
  /**
   * Bytes after the fields the decoder knows (a later version's extension,
   * padding), or after a container's children (QuickTime's 32-bit zero
   * terminator), kept so that the box writes back as it was read.
   */
  trailing?: Uint8Array;
  /**
   * The body of a box without a decoder (an `mdat`'s media data), for
   * writing it; the reader never sets it (it never loads such bodies).
   */
  payload?: Uint8Array;
  /**
   * Set (by a walk with `onInvalidBox`) on a box whose fields cannot be
   * read: the error; the box has its header only, and cannot be written back.
   */
  invalid?: BoxParseError;
}

/** A FullBox (4.2.2): `version` (8 bits) and `flags` (24 bits) start the body. */
export interface FullBox extends Box {
  version: number;
  flags: number;
}

/** What a decoder adds to a box: its fields, without the header and tree properties. */
export type BoxFields<B extends Box> = Omit<B, keyof Box>;
