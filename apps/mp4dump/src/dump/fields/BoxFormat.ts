import type { Box } from '@rec/fmp4-boxes';
import type { Inspector } from '../inspect/Inspector.js';

/**
 * How one box type prints: its fields, written once for both layouts (text
 * and JSON) through an `Inspector`, in Bento4's order and with Bento4's
 * names (`InspectFields` in Bento4's `Ap4*Atom.cpp`), the fields Bento4
 * leaves out behind `out.all`.
 */
export interface BoxFormat<B extends Box = Box> {
  /**
   * Whether Bento4 1.6 decodes this box where it is (default: yes). A box
   * it does not decode is shown as Bento4 shows it under `--bento4`: the
   * header as read (8 bytes, no version/flags), no fields, no children.
   */
  readonly bento4?: boolean | ((box: B, ancestors: readonly Box[]) => boolean);
  /** Writes the fields, after the header line and before the children (`ancestors` outermost first). */
  readonly fields?: (box: B, out: Inspector, ancestors: readonly Box[]) => void;
  /** The children are not shown (Bento4 keeps them as bytes). */
  readonly leaf?: boolean;
  /**
   * A field its decoder always sets, for a type whose decoder reads it in
   * some places only (`name` inside a `----` item, not QuickTime's udta
   * `name`): without it the box is shown as undecoded.
   */
  readonly decodedKey?: string;
  /** Bento4 reads this FullBox as a plain box: under `--bento4`, an 8-byte header without version and flags. */
  readonly bento4PlainHeader?: boolean;
}

/** A table of formats by fourcc, typed loosely: each format reads the box its decoder made. */
// biome-ignore lint/suspicious/noExplicitAny: each entry's box type is the one its fourcc decodes to
export type FormatTable = Record<string, BoxFormat<any>>;

/** A box Bento4 leaves undecoded: shown with its size only under `--bento4`. */
export const NOT_IN_BENTO4 = false;
