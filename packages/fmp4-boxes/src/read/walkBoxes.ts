import { ByteReader, type ShortRead } from '@rec/core';
import type { Box } from '../Box.js';
import type { BoxDecoder, DecodeContext, DecoderTable } from '../BoxDecoder.js';
import { BoxParseError, type BoxParseErrorCode } from '../BoxParseError.js';
import { toHex } from './fields.js';

/**
 * The walker asks its driver for bytes [start, end) (absolute offsets) and
 * gets them back from `next()`. `ahead` is as far as reading ahead can pay:
 * the end of the enclosing box for a child's header (its siblings come
 * next), a few KiB past a top-level header (what follows a top-level box is
 * often an mdat payload that nothing reads).
 */
export class ReadRequest {
  constructor(
    public start: number,
    public end: number,
    public ahead: number = end,
  ) {}

  /** The walker's one request, set anew for each read (a driver reads it before it calls `next()`). */
  set(start: number, end: number, ahead: number): this {
    this.start = start;
    this.end = end;
    this.ahead = ahead;
    return this;
  }
}

/** What the walker yields: a box (to hand to the caller) or a read to fulfil. */
export type WalkStep = Box | ReadRequest;

export interface WalkOptions {
  /** Absolute offset of the first box. */
  start: number;
  /** Absolute offset where the data ends (a file's size; a buffer's end). */
  dataEnd: number;
  decoders: DecoderTable;
  /** Boxes deeper than this are not read (0: top level only). */
  maxDepth: number;
  /** A box whose body is to be decoded may not be larger than this. */
  maxBoxBytes: number;
  /**
   * Boxes deeper than this are read and attached to their parent's
   * `children` but not yielded (default: every box is yielded). 0 for a
   * driver that keeps the top level only (`parseBoxes`, `readBoxes`'
   * `topLevelOnly`).
   */
  yieldDepth?: number;
  /**
   * Bytes [start, end) when the driver already holds them (a buffer; a
   * source window), else undefined: the walker then yields a `ReadRequest`.
   * Reads answered here cost no generator round trip, which at each level
   * of nesting is one suspend and resume more (a fragmented file asks for
   * about 10,000 headers, nearly all of them held).
   */
  held?: (start: number, end: number) => Uint8Array | undefined;
  /** See `BoxWalkOptions.onInvalidBox`: when set, BOX_INVALID inside a parent is handed here and the walk goes on. */
  onInvalidBox?: (error: BoxParseError) => void;
}

/** Nesting no real file comes near (`moov/trak/mdia/minf/stbl/stsd/encv/sinf/schi/tenc` is 10). */
const MAX_NESTING = 64;
/** size(32) type(32) largesize(64) usertype(128): the longest box header (ISO/IEC 14496-12 4.2.2). */
const LONGEST_HEADER = 32;
/**
 * How far past a top-level header to read ahead: a moof of a per-frame
 * fragment and the mdat header after it (one read per fragment), but not
 * the mdat payload. With the read-ahead to 64 KiB everywhere, walking the
 * bench's 60 MB file (1,500 moof + mdat pairs) read all 60 MB.
 */
const TOP_LEVEL_AHEAD = 4096;

/**
 * The one box walker behind `parseBoxes` (bytes in memory) and `readBoxes`
 * (a `ByteSource`): a generator that yields every box in file order, each
 * before its children (pre-order, `depth` set), and asks its driver for
 * bytes with `ReadRequest`s so the same code runs synchronously over a
 * buffer and asynchronously over a file or an HTTP range reader.
 *
 * ISO/IEC 14496-12 4.2.2: `unsigned int(32) size; unsigned int(32) type;`
 * then `unsigned int(64) largesize` when size == 1, `unsigned int(8)[16]
 * usertype` when type == 'uuid'; size 0 runs to the end of the file (here:
 * of the enclosing box, or of the data at the top level).
 *
 * Bodies are loaded only for boxes a decoder reads fields from; pure
 * containers are walked header by header, and `mdat`, `free` and unknown
 * boxes are never loaded. Each box is pushed onto its parent's `children`
 * as it is yielded, so a parent's subtree is complete once the walk has
 * passed its end.
 *
 * A box that runs past the data is `BOX_TRUNCATED`: a container is yielded
 * before its children, so its complete children come before the error; a
 * leaf is not yielded. A box that cannot be right is `BOX_INVALID`.
 */
export function* walkBoxes(options: WalkOptions): Generator<WalkStep, void, Uint8Array | undefined> {
  const walk = new Walk(options);
  yield* walk.children(undefined, undefined, [], options.start, Number.POSITIVE_INFINITY, 0);
}

class Walk {
  // `private`, not `#`, for speed before V8's top tier (see @rec/core's ByteReader).
  private readonly options: WalkOptions;
  readonly notes = new Map<string, unknown>();
  private readonly request = new ReadRequest(0, 0);
  private readonly yieldDepth: number;
  private readonly held: ((start: number, end: number) => Uint8Array | undefined) | undefined;

  constructor(options: WalkOptions) {
    this.options = options;
    this.yieldDepth = options.yieldDepth ?? Number.POSITIVE_INFINITY;
    this.held = options.held;
  }

  /** The boxes in [start, end) of `parent` (end is Infinity at the top level). */
  *children(
    parent: Box | undefined,
    parentDecoder: BoxDecoder | undefined,
    ancestors: readonly Box[],
    start: number,
    end: number,
    depth: number,
  ): Generator<WalkStep, void, Uint8Array | undefined> {
    const { dataEnd } = this.options;
    const parentPath = parent?.path ?? '';
    const parentPrefix = parentPath === '' ? '' : `${parentPath}/`;
    if (depth >= MAX_NESTING) {
      throw new BoxParseError('BOX_INVALID', `boxes nested deeper than ${MAX_NESTING} levels`, {
        offset: start,
        path: parentPath,
      });
    }
    // Where a box of size 0 ends: its parent's end, or the end of the data at the top level.
    const sizeZeroEnd = Number.isFinite(end) ? end : dataEnd;
    const bound = Math.min(end, dataEnd);
    const seen = new Map<string, number>();
    // Siblings follow a child: read ahead to the parent's end; at the top level only a little way.
    const aheadOf = (from: number) => (depth === 0 ? Math.min(bound, from + TOP_LEVEL_AHEAD) : bound);
    let at = start;
    while (at < bound) {
      const left = bound - at;
      // Held bytes are taken at once; other reads are yielded here, not through a helper generator.
      const headEnd = at + Math.min(left, LONGEST_HEADER);
      const head = this.held?.(at, headEnd) ?? (yield this.request.set(at, headEnd, aheadOf(at)));
      if (head === undefined) throw new Error('walkBoxes: the driver answered a read with nothing');
      // The data may be shorter than asked (a source that shrank): what came back is what there is.
      const available = head.length;
      // Short of a header: the data ran out (TRUNCATED), or the parent ends first (INVALID).
      const dataRanOut = available < left || end > dataEnd;
      if (available < 8) {
        // QuickTime ends some containers (udta) with a 32-bit zero; tolerate
        // a short run of zeros that fills the rest of a complete parent.
        if (parent !== undefined && !dataRanOut && head.every((b) => b === 0)) {
          parent.trailing = head.slice(); // written back after the children
          return;
        }
        const failure = headerFail(dataRanOut, 8, available, at, parentPath);
        if (this.recovers(parent, failure)) return;
        throw failure;
      }
      let size = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0; // size
      const code = ((head[4]! << 24) | (head[5]! << 16) | (head[6]! << 8) | head[7]!) >>> 0; // type
      const known = fourccs.get(code);
      const type = known?.type ?? String.fromCharCode(head[4]!, head[5]!, head[6]!, head[7]!);
      const name = known?.name ?? (PRINTABLE.test(type) ? type : printable(type));
      if (known === undefined && fourccs.size < MAX_FOURCCS) fourccs.set(code, { type, name });
      const index = seen.get(type) ?? 0;
      seen.set(type, index + 1);
      const path = index === 0 ? `${parentPrefix}${name}` : `${parentPrefix}${name}[${index}]`;
      let headerSize = 8;
      let sizeIsZero = false;
      if (size === 1) {
        if (available < 16) throw headerFail(dataRanOut, 16, available, at, path);
        const large = new DataView(head.buffer, head.byteOffset, 16).getBigUint64(8); // largesize
        if (large > BigInt(Number.MAX_SAFE_INTEGER)) {
          throw new BoxParseError('BOX_INVALID', `largesize ${large} is above 2^53`, { offset: at, path });
        }
        size = Number(large);
        headerSize = 16;
      } else if (size === 0) {
        // "box extends to the end of the file" (4.2.2); inside a box, to the end of that box, as
        // ffmpeg reads it (Bento4 rejects it there: `mp4dump --bento4` leaves it out).
        size = sizeZeroEnd - at;
        sizeIsZero = true;
      }
      let usertype: string | undefined;
      if (type === 'uuid') {
        if (available < headerSize + 16) throw headerFail(dataRanOut, headerSize + 16, available, at, path);
        usertype = toHex(head.subarray(headerSize, headerSize + 16)); // usertype
        headerSize += 16;
      }
      if (size < headerSize) {
        const failure = new BoxParseError(
          'BOX_INVALID',
          `size ${size} is smaller than its ${headerSize}-byte header`,
          { offset: at, path },
        );
        if (this.recovers(parent, failure)) return;
        throw failure;
      }
      const boxEnd = at + size;
      if (boxEnd > end) {
        // A parent the data cuts short is what is wrong first (its children were read past the data).
        if (parent !== undefined && end > dataEnd)
          throw cut(parent.size, dataEnd - parent.offset, parent.offset, parent.path);
        const failure = new BoxParseError(
          'BOX_INVALID',
          `box of ${size} bytes does not fit in its parent: ${end - at} bytes left in ${parentPath}`,
          { offset: at, path },
        );
        if (this.recovers(parent, failure)) return;
        throw failure;
      }
      const box: Box = { type, offset: at, size, headerSize, path, depth };
      if (sizeIsZero) box.sizeIsZero = true;
      if (usertype !== undefined) box.usertype = usertype;
      const context = new Context(box, ancestors, this.notes);
      // The table's decoder of this type, else the parent's decoder for its children (each if it accepts the place).
      const decoder =
        usable(this.options.decoders.get(type), context) ??
        usable(parentDecoder?.childDecoder?.(type, context), context);
      const truncated = boxEnd > dataEnd;
      const shown = depth <= this.yieldDepth;

      if (decoder?.container && decoder.read === undefined) {
        // A pure container: yielded now, children read header by header.
        this.attach(parent, box);
        if (shown) yield box;
        if (depth < this.options.maxDepth) {
          yield* this.children(box, decoder, withBox(ancestors, box), at + headerSize, boxEnd, depth + 1);
        } else if (truncated) {
          throw cut(size, dataEnd - at, at, path);
        }
      } else if (decoder?.read === undefined) {
        // mdat, free, unknown: the header is all there is to read.
        if (truncated) throw cut(size, dataEnd - at, at, path);
        this.attach(parent, box);
        if (shown) yield box;
      } else {
        if (truncated) throw cut(size, dataEnd - at, at, path);
        const bodySize = size - headerSize;
        if (bodySize > this.options.maxBoxBytes) {
          throw new BoxParseError(
            'BOX_TOO_LARGE',
            `a ${bodySize}-byte body is above maxBoxBytes (${this.options.maxBoxBytes})`,
            { offset: at, path },
          );
        }
        const bodyStart = at + headerSize;
        const body =
          this.held?.(bodyStart, boxEnd) ?? (yield this.request.set(bodyStart, boxEnd, aheadOf(boxEnd)));
        if (body === undefined) throw new Error('walkBoxes: the driver answered a read with nothing');
        if (body.length < bodySize) throw cut(size, dataEnd - at, at, path);
        const reader = new ByteReader(body, { baseOffset: bodyStart, onShortRead: fieldPastEnd(path) });
        const fields = this.decodeOrKeep(decoder, reader, context);
        if (fields === undefined) {
          // Fields that cannot be read (with onInvalidBox): kept as a box of unknown content, as Bento4 shows it.
          this.attach(parent, box);
          if (shown) yield box;
          at = boxEnd;
          continue;
        }
        Object.assign(box, fields);
        this.attach(parent, box);
        if (decoder.container) {
          if (shown) yield box;
          if (depth < this.options.maxDepth) {
            yield* this.children(box, decoder, withBox(ancestors, box), reader.offset, boxEnd, depth + 1);
          }
        } else {
          if (reader.remaining > 0) box.trailing = reader.bytesView(reader.remaining).slice();
          if (shown) yield box;
        }
      }
      at = boxEnd;
    }
    if (parent !== undefined && end > dataEnd) {
      throw new BoxParseError(
        'BOX_TRUNCATED',
        `box of ${parent.size} bytes, ${dataEnd - parent.offset} left`,
        {
          offset: parent.offset,
          path: parent.path,
        },
      );
    }
  }

  /**
   * With `onInvalidBox`: hands it `failure` inside `parent` and says the walk
   * of that parent's children stops there (Bento4 drops the rest of a parent
   * whose child cannot be read, and goes on after the parent). A top-level
   * failure cannot be stepped over (where the next box starts is unknown).
   */
  private recovers(parent: Box | undefined, failure: BoxParseError): boolean {
    // A header the data cuts short is BOX_TRUNCATED: nothing follows it to go on with.
    if (parent === undefined || failure.code !== 'BOX_INVALID' || this.options.onInvalidBox === undefined) {
      return false;
    }
    this.options.onInvalidBox(failure);
    return true;
  }

  /** The decoded fields; with `onInvalidBox`, undefined for a box they cannot be read from (`invalid` set). */
  private decodeOrKeep(decoder: BoxDecoder, reader: ByteReader, context: Context): object | undefined {
    const { onInvalidBox } = this.options;
    if (onInvalidBox === undefined) return decode(decoder, reader, context);
    try {
      return decode(decoder, reader, context);
    } catch (error) {
      if (!(error instanceof BoxParseError) || error.code !== 'BOX_INVALID') throw error;
      context.box.invalid = error;
      onInvalidBox(error);
      return undefined;
    }
  }

  private attach(parent: Box | undefined, box: Box): void {
    if (parent === undefined) return;
    if (parent.children === undefined) parent.children = [box];
    else parent.children.push(box);
  }
}

/** What a decoder is told about where it is: one per box, a class so that no closure is made per box. */
class Context implements DecodeContext {
  constructor(
    readonly box: Box,
    readonly ancestors: readonly Box[],
    readonly notes: Map<string, unknown>,
  ) {}

  fail(message: string, options: { offset?: number; code?: BoxParseErrorCode } = {}): BoxParseError {
    return new BoxParseError(options.code ?? 'BOX_INVALID', message, {
      offset: options.offset ?? this.box.offset,
      path: this.box.path,
    });
  }
}

/** `candidate` when it takes a box where `context` says it is. */
const usable = (candidate: BoxDecoder | undefined, context: DecodeContext) =>
  candidate !== undefined && candidate.accepts?.(context) !== false ? candidate : undefined;

/**
 * Fourccs seen, by their 32-bit value: the same string for every box of a
 * type (a string made anew per box is hashed anew by each Map and property
 * lookup keyed by it), with its name as paths show it. Bounded: a damaged
 * file can hold any number of types.
 */
const fourccs = new Map<number, { type: string; name: string }>();
const MAX_FOURCCS = 1024;

/** Four Latin-1 characters a path shows as they are (no control character to escape). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: those are what is looked for
const PRINTABLE = /^[^\x00-\x1f\x7f-\x9f]{4}$/;

/** A type as a path shows it: control characters of a corrupt fourcc as `\xNN`. */
const printable = (type: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: those are what is replaced
  type.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** `ancestors` and then `box`, as a new array (a spread runs the iterator protocol: slow before the top tier). */
function withBox(ancestors: readonly Box[], box: Box): Box[] {
  const list = ancestors.slice();
  list.push(box);
  return list;
}

/** A box header short of `needed` bytes: the data ran out (TRUNCATED), or the parent ends first (INVALID). */
function headerFail(dataRanOut: boolean, needed: number, available: number, offset: number, path: string) {
  return dataRanOut
    ? new BoxParseError('BOX_TRUNCATED', `box header needs ${needed} bytes, ${available} left`, {
        offset,
        path,
      })
    : new BoxParseError(
        'BOX_INVALID',
        `${available} bytes left in the box, too few for a ${needed}-byte box header`,
        { offset, path },
      );
}

/** A box that runs past the end of the data. */
const cut = (size: number, left: number, offset: number, path: string) =>
  new BoxParseError('BOX_TRUNCATED', `box of ${size} bytes, ${left} left`, { offset, path });

/** A field read past the end of its (complete) box: the box is wrong, not cut. */
const fieldPastEnd =
  (path: string) =>
  ({ offset, needed, available }: ShortRead) =>
    new BoxParseError('BOX_INVALID', `needs ${needed} bytes, ${available} left`, { offset, path });

/** Runs a decoder; anything but a `BoxParseError` it throws is a box it could not make sense of. */
function decode(decoder: BoxDecoder, reader: ByteReader, context: DecodeContext): object {
  let fields: object;
  try {
    fields = decoder.read!(reader, context);
  } catch (error) {
    if (error instanceof BoxParseError) throw error;
    throw new BoxParseError('BOX_INVALID', `cannot decode: ${(error as Error)?.message ?? String(error)}`, {
      offset: context.box.offset,
      path: context.box.path,
      cause: error,
    });
  }
  // The fields' own keys looked up among ten, rather than ten `in` tests on an object of a shape
  // of its own (a megamorphic lookup each, a visible share of a dump's time before the top tier).
  for (const key in fields) {
    if (HEADER_KEYS[key] === true) {
      throw new Error(`decoder of ${decoder.type} returns \`${key}\`, a Box property`);
    }
  }
  return fields;
}

/** What a decoder may not return: the properties the walker sets (`=== true`: Object.prototype's are functions). */
const HEADER_KEYS: Readonly<Record<string, true | undefined>> = {
  type: true,
  offset: true,
  size: true,
  headerSize: true,
  sizeIsZero: true,
  usertype: true,
  path: true,
  depth: true,
  children: true,
  trailing: true,
  invalid: true,
};
