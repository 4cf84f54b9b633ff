import { flatten } from '../inspect/flatten.js';
import { cString, decimal, fixed6, hexBytes } from '../inspect/formatNumbers.js';
import type { Inspector } from '../inspect/Inspector.js';

/** Where the output so far is flattened into a chunk of its own (#spill). */
const SPILL_AT = 64 * 1024;

const SPACES = Array.from({ length: 128 }, (_, i) => ' '.repeat(Math.min(i * 2, 255)));
const indent = (depth: number) => SPACES[depth] ?? ' '.repeat(Math.min(depth * 2, 255));

/** Bento4's `AP4_JsonInspector` context kinds. */
const TOP_LEVEL = 0;
const ATOM = 1;
const ARRAY = 2;

export interface JsonInspectorOptions {
  verbosity: number;
  all: boolean;
  /** An `"offset"` member after `"size"`. */
  offsets: boolean;
}

/**
 * Bento4's JSON layout (`AP4_JsonInspector`): a top-level array of boxes,
 * each `{ "name", "header_size", "size", ["version"], ["flags"], fields...,
 * "children":[ ... ] }`, two spaces per level, repeated keys kept
 * (`compatible_brand`) as Bento4 writes them. `open()` and `close()` write
 * the enclosing `[` and `]`, so that a dump stays valid JSON whatever stops
 * it (a truncated file is closed after its last valid box).
 */
export class JsonInspector implements Inspector {
  readonly verbosity: number;
  readonly all: boolean;
  readonly #offsets: boolean;
  #out = '';
  /** Output already flattened, 64 Ki characters or more each (see #spill). */
  #chunks: string[] = [];
  readonly #types: number[] = [];
  readonly #fieldCounts: number[] = [];
  readonly #childCounts: number[] = [];
  #prefix = '';

  constructor(options: JsonInspectorOptions) {
    this.verbosity = options.verbosity;
    this.all = options.all;
    this.#offsets = options.offsets;
  }

  /** The opening bracket (Bento4's constructor). */
  open(): void {
    this.#out += '[\n';
    this.#push(TOP_LEVEL);
  }

  /** The closing bracket (Bento4's destructor). */
  close(): void {
    this.#out += '\n]\n';
  }

  take(): string[] {
    if (this.#out !== '') this.#chunks.push(flatten(this.#out));
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#out = '';
    return chunks;
  }

  #push(type: number): void {
    this.#types.push(type);
    this.#fieldCounts.push(0);
    this.#childCounts.push(0);
    this.#prefix = indent(this.#types.length);
  }

  #pop(): void {
    this.#types.pop();
    this.#fieldCounts.pop();
    this.#childCounts.pop();
    this.#prefix = indent(this.#types.length);
  }

  /** Bento4's OnFieldAdded: `,\n` before every member but the first of its context. */
  #added(): void {
    const last = this.#fieldCounts.length - 1;
    if (this.#fieldCounts[last]!++ > 0) this.#out += ',\n';
  }

  #name(name: string | null): string {
    return name === null ? '' : `"${escapeJson(name)}": `;
  }

  startAtom(
    name: string,
    version: number,
    flags: number,
    headerSize: number,
    size: number,
    offset?: number,
  ): void {
    this.#added();
    const last = this.#types.length - 1;
    // The first child of a box opens its "children" array.
    if (++this.#childCounts[last]! === 1 && this.#types[last] === ATOM) {
      this.#out += `${this.#prefix}"children":[ \n`;
    }
    this.#out += `${this.#prefix}{\n`;
    this.#push(ATOM);
    const p = this.#prefix;
    let out = `${p}"name": "${escapeJson(name)}",\n${p}"header_size": ${headerSize},\n${p}"size": ${size}`;
    if (this.#offsets && offset !== undefined) out += `,\n${p}"offset": ${offset}`;
    if (version) out += `,\n${p}"version": ${version}`;
    if (flags) out += `,\n${p}"flags": ${flags}`;
    this.#out += out;
    this.#fieldCounts[this.#fieldCounts.length - 1] = 3;
  }

  endAtom(): void {
    if (this.#childCounts[this.#childCounts.length - 1]) this.#out += ']';
    this.#pop();
    this.#out += `\n${this.#prefix}}`;
  }

  startDescriptor(name: string, headerSize: number, size: number): void {
    this.startAtom(name, 0, 0, headerSize, size);
  }

  endDescriptor(): void {
    this.endAtom();
  }

  startArray(name: string | null): void {
    this.#added();
    this.#out += `${this.#prefix}${this.#name(name)}[\n`;
    this.#push(ARRAY);
  }

  endArray(): void {
    this.#pop();
    this.#out += `\n${this.#prefix}]`;
  }

  startObject(name: string | null, _compact: boolean): void {
    this.#added();
    this.#out += `${this.#prefix}${this.#name(name)}{\n`;
    this.#push(ARRAY);
  }

  endObject(): void {
    this.#pop();
    this.#out += `\n${this.#prefix}}`;
  }

  #field(name: string | null, value: string): void {
    this.#added();
    this.#out += name === null ? `${this.#prefix}${value}` : `${this.#prefix}"${escapeJson(name)}": ${value}`;
    this.#spill();
  }

  /**
   * Moves the output so far into #chunks as one flat string (see `flatten`)
   * once it passes 64 Ki characters.
   */
  #spill(): void {
    if (this.#out.length < SPILL_AT) return;
    this.#chunks.push(flatten(this.#out));
    this.#out = '';
  }

  int(name: string | null, value: number | bigint): void {
    this.#field(name, decimal(value));
  }

  hex(name: string | null, value: number | bigint): void {
    this.#field(name, decimal(value));
  }

  float(name: string | null, value: number): void {
    this.#field(name, fixed6(Math.fround(value)));
  }

  str(name: string | null, value: string): void {
    this.#field(name, `"${escapeJson(cString(value))}"`);
  }

  bytes(name: string | null, value: Uint8Array): void {
    this.#field(name, `"[${hexBytes(value)}]"`);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: those are what JSON escapes
const NEEDS_ESCAPE = /["\\\x00-\x1f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: those are what JSON escapes
const ESCAPED = /["\\\x00-\x1f]/g;

/** Bento4's EscapeString: `"` and `\` backslashed, control characters as `\u00XX` (uppercase hex). */
export function escapeJson(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPED, (c) =>
    c === '"' || c === '\\'
      ? `\\${c}`
      : `\\u00${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
