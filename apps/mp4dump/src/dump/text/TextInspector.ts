import { flatten } from '../inspect/flatten.js';
import { cString, decimal, fixed6, hexBytes, hexDigits } from '../inspect/formatNumbers.js';
import type { Inspector } from '../inspect/Inspector.js';

/** Bento4's `AP4_PrintInspector` context kinds (Ap4Atom.h). */
const TOP_LEVEL = 0;
const ATOM = 1;
const ARRAY = 2;
const OBJECT = 3;
const COMPACT_OBJECT = 4;

/** Where the output so far is flattened into a chunk of its own (spill). */
const SPILL_AT = 64 * 1024;

/** Indents up to 256 columns are cached (Bento4 caps the prefix at 255 characters). */
const SPACES = Array.from({ length: 128 }, (_, i) => ' '.repeat(Math.min(i * 2, 255)));

export interface TextInspectorOptions {
  verbosity: number;
  all: boolean;
  /** Box offsets on the header lines: `[moof] @ 1234567 (0x12d687) size=8+296`. */
  offsets: boolean;
}

/**
 * Bento4's text layout (`AP4_PrintInspector`): two spaces per level,
 * `[type] size=H+P` with `, version=N` / `, flags=hex` for FullBox headers
 * (12, 20 or 28 bytes) when not zero, `name = value` fields, arrays as
 * `name:` then `(%8d) ` entries, compact objects on one line.
 */
export class TextInspector implements Inspector {
  // `private`, not `#`, for speed before V8's top tier (see @rec/core's ByteReader).
  readonly verbosity: number;
  readonly all: boolean;
  private readonly showOffsets: boolean;
  private out = '';
  /** Output already flattened, 64 Ki characters or more each (see spill). */
  private chunks: string[] = [];
  /** Context kinds, innermost last, with each context's entry counter. */
  private readonly types: number[] = [TOP_LEVEL];
  private readonly indexes: number[] = [0];

  constructor(options: TextInspectorOptions) {
    this.verbosity = options.verbosity;
    this.all = options.all;
    this.showOffsets = options.offsets;
  }

  /** The output so far, each top-level box's text flattened as it is taken (see `flatten`). */
  take(): string[] {
    if (this.out !== '') this.chunks.push(flatten(this.out));
    const chunks = this.chunks;
    this.chunks = [];
    this.out = '';
    return chunks;
  }

  private push(type: number): void {
    this.types.push(type);
    this.indexes.push(0);
  }

  private pop(): void {
    if (this.types.length > 1) {
      this.types.pop();
      this.indexes.pop();
    }
  }

  /** Bento4's PrintPrefix: `, ` between compact fields, else the indent (and the entry index in an array). */
  private prefix(): void {
    const last = this.types.length - 1;
    const type = this.types[last]!;
    if (type === COMPACT_OBJECT) {
      if (this.indexes[last]!++ > 0) this.out += ', ';
      return;
    }
    this.out += SPACES[last] ?? ' '.repeat(Math.min(last * 2, 255));
    if (type === ARRAY) {
      this.out += `(${String(this.indexes[last]!++).padStart(8)}) `; // "(%8d) "
    }
  }

  /** Bento4's PrintSuffix: a newline unless inside a compact object. */
  private suffix(): void {
    if (this.types[this.types.length - 1] !== COMPACT_OBJECT) {
      this.out += '\n';
      this.spill();
    }
  }

  /**
   * Moves the output so far into chunks as one flat string (see `flatten`)
   * once it passes 64 Ki characters.
   */
  private spill(): void {
    if (this.out.length < SPILL_AT) return;
    this.chunks.push(flatten(this.out));
    this.out = '';
  }

  startAtom(
    name: string,
    version: number,
    flags: number,
    headerSize: number,
    size: number,
    offset?: number,
  ): void {
    this.prefix();
    this.push(ATOM);
    let extra = '';
    // Only FullBox headers show version and flags (Ap4Atom.cpp StartAtom tests the header size).
    if (headerSize === 12 || headerSize === 20 || headerSize === 28) {
      if (version && flags) extra = `, version=${version}, flags=${hexDigits(flags)}`;
      else if (version) extra = `, version=${version}`;
      else if (flags) extra = `, flags=${hexDigits(flags)}`;
    }
    const at = this.showOffsets && offset !== undefined ? ` @ ${offset} (0x${offset.toString(16)})` : '';
    this.out += `[${name}]${at} size=${headerSize}+${size - headerSize}${extra}`;
    this.suffix();
  }

  endAtom(): void {
    this.pop();
  }

  startDescriptor(name: string, headerSize: number, size: number): void {
    this.prefix();
    this.push(ATOM);
    this.out += `[${name}] size=${headerSize}+${size - headerSize}`;
    this.suffix();
  }

  endDescriptor(): void {
    this.pop();
  }

  startArray(name: string | null): void {
    this.prefix();
    this.push(ARRAY);
    if (name !== null) this.out += `${name}:`;
    this.suffix();
  }

  endArray(): void {
    this.pop();
  }

  startObject(name: string | null, compact: boolean): void {
    this.prefix();
    this.push(compact ? COMPACT_OBJECT : OBJECT);
    if (name !== null) this.out += `${name}: `;
    this.suffix();
  }

  endObject(): void {
    if (this.types[this.types.length - 1] === COMPACT_OBJECT) this.out += '\n';
    this.pop();
  }

  private field(name: string | null, value: string): void {
    this.prefix();
    this.out += name === null ? value : `${name} = ${value}`;
    this.suffix();
  }

  int(name: string | null, value: number | bigint): void {
    this.field(name, decimal(value));
  }

  hex(name: string | null, value: number | bigint): void {
    this.field(name, hexDigits(value));
  }

  float(name: string | null, value: number): void {
    // Bento4's AddFieldF takes a C float.
    this.field(name, fixed6(Math.fround(value)));
  }

  str(name: string | null, value: string): void {
    this.field(name, cString(value));
  }

  bytes(name: string | null, value: Uint8Array): void {
    this.field(name, `[${hexBytes(value)}]`);
  }
}
