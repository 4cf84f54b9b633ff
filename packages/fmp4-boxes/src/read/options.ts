import { expectInteger } from '@rec/core';
import type { BoxDecoder, DecoderTable } from '../BoxDecoder.js';
import { decoderTable } from '../BoxDecoder.js';
import type { BoxParseError } from '../BoxParseError.js';
import { defaultDecoders } from '../defaultDecoders.js';

/** Options of `parseBoxes` and `readBoxes`. */
export interface BoxWalkOptions {
  /**
   * The decoders to use (default `defaultDecoders`). A narrower list
   * decodes fewer boxes (the others keep their header only); a list with
   * two decoders of one type is a `TypeError`.
   */
  decoders?: readonly BoxDecoder[];
  /** Deepest level to read: 0 reads the top-level boxes only (default: every level). */
  maxDepth?: number;
  /** Largest box body to load and decode, in bytes (default 64 MiB); a larger one is `BOX_TOO_LARGE`. */
  maxBoxBytes?: number;
  /**
   * Called for each box that cannot be right inside a parent the data holds
   * whole (BOX_INVALID), instead of throwing: the walk goes on as Bento4's
   * does. A box whose fields cannot be read is kept with its header only
   * (`invalid` set); a child that does not fit its parent (or a size under
   * 8 inside a box) ends that parent's children, and the walk
   * goes on after the parent. A cut file (BOX_TRUNCATED), an invalid
   * top-level header and BOX_TOO_LARGE still throw. Default: throw at the first.
   */
  onInvalidBox?: (error: BoxParseError) => void;
}

export const DEFAULT_MAX_BOX_BYTES = 64 * 1024 * 1024;

export function walkSettings(options: BoxWalkOptions): {
  decoders: DecoderTable;
  maxDepth: number;
  maxBoxBytes: number;
  onInvalidBox?: (error: BoxParseError) => void;
} {
  return {
    ...(options.onInvalidBox === undefined ? {} : { onInvalidBox: options.onInvalidBox }),
    decoders: decoderTable(options.decoders ?? defaultDecoders),
    maxDepth:
      options.maxDepth === undefined
        ? Number.POSITIVE_INFINITY
        : expectInteger('maxDepth', options.maxDepth, 0),
    maxBoxBytes:
      options.maxBoxBytes === undefined
        ? DEFAULT_MAX_BOX_BYTES
        : expectInteger('maxBoxBytes', options.maxBoxBytes, 0),
  };
}
