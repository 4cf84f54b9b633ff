/**
 * What a box description writes to: Bento4's `AP4_AtomInspector` vocabulary
 * (atoms, descriptors, arrays, objects, fields), so that one description of
 * a box's fields drives both the text and the JSON layout, as Bento4's
 * `InspectFields` methods drive its `AP4_PrintInspector` and
 * `AP4_JsonInspector`. Each output accumulates into chunks the caller
 * takes with `take()`.
 */
export interface Inspector {
  /** Bento4's `--verbosity` (3 is 2). */
  readonly verbosity: number;
  /** Print every field we decode (the default mode); false: Bento4's field set only. */
  readonly all: boolean;
  /**
   * A box: `name` as printed, `version`/`flags` (printed when not zero),
   * the header size as shown (a FullBox's 4 version/flags bytes counted),
   * the whole size, and the absolute offset when `--offsets` asks for it.
   */
  startAtom(
    name: string,
    version: number,
    flags: number,
    headerSize: number,
    size: number,
    offset?: number,
  ): void;
  endAtom(): void;
  /** An MPEG-4 descriptor inside `esds`/`iods` (ISO/IEC 14496-1 7.2.2), shown as a child box. */
  startDescriptor(name: string, headerSize: number, size: number): void;
  endDescriptor(): void;
  /** A table: text `name:` then `(%8d) ` per entry; JSON `"name": [ ... ]`. */
  startArray(name: string | null): void;
  endArray(): void;
  /** An entry of several fields: compact is one text line `a = 1, b = 2`. */
  startObject(name: string | null, compact: boolean): void;
  endObject(): void;
  /** An integer, `%lld`. */
  int(name: string | null, value: number | bigint): void;
  /** An integer Bento4 marks HINT_HEX: text `%llx`, JSON decimal. */
  hex(name: string | null, value: number | bigint): void;
  /** A float, `%f` (6 decimals). */
  float(name: string | null, value: number): void;
  /** A string, as is (JSON: escaped and quoted). */
  str(name: string | null, value: string): void;
  /** Bytes: `[0a 1b 2c]`. */
  bytes(name: string | null, value: Uint8Array): void;
  /** What was written since the last `take()`, in flat chunks of about 64 Ki characters (none when nothing was). */
  take(): string[];
}
