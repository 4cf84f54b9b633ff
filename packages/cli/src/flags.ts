import { invalidOption } from '@rec/core';
import type { Options as YargsOption } from 'yargs';

/**
 * The option table of a CLI, typed against the options type of the library
 * call it makes (vitest's `CLIOptions<Config>` idea): every field of
 * `Options` has an entry, either a flag or `null` ("not on the command
 * line", with the reason in a comment), so a new library option does not
 * compile until the CLI decides about it; a flag that is no option does not
 * compile either (write the table as an object literal with
 * `satisfies CliOptions<Options>`, which checks excess keys); and a flag's
 * value, after its `parse`, has the option's type. Function-valued fields
 * (`onProgress`) are left out: they never come from a command line.
 *
 * One table gives yargs its options (`yargsOptions`) and turns yargs' argv
 * back into option values (`readFlags`): the flags are listed once.
 */
export type CliOptions<Options> = {
  -readonly [Key in keyof Options as NonNullable<Options[Key]> extends (...args: never[]) => unknown
    ? never
    : Key]-?: CliFlag<NonNullable<Options[Key]>> | null;
};

/** What every flag has. */
export interface FlagBase {
  describe: string;
  /** The flag's name when it is not the option's name in kebab-case (`--ffmpeg` for `ffmpegPath`). */
  flag?: string;
  alias?: string | readonly string[];
  /** Heading in `--help`. */
  group?: string;
  hidden?: boolean;
}

type FlagKind = 'string' | 'number' | 'boolean';
type KindValue<Kind> = Kind extends 'string' ? string : Kind extends 'number' ? number : boolean;

/**
 * A flag of one yargs type: its value is the option's as it is, or `parse`
 * makes it so (required when the raw value's type is not the option's).
 */
type TypedFlag<Value, Kind extends FlagKind, Raw> = FlagBase & {
  type: Kind;
  array?: false;
  default?: Raw;
} & ([Raw] extends [Value] ? { parse?: (raw: Raw) => Value } : { parse: (raw: Raw) => Value });

/** A repeatable flag (`-r a -r b`, `files..`), for an option that takes the array as it is. */
type ArrayFlag<Value, Kind extends FlagKind, Raw> = [Raw[]] extends [Value]
  ? FlagBase & { type: Kind; array: true; default?: Raw[] }
  : never;

type ScalarFlag<Value> =
  | TypedFlag<Value, 'string', string>
  | TypedFlag<Value, 'number', number>
  | TypedFlag<Value, 'boolean', boolean>
  | ArrayFlag<Value, 'string', string>
  | ArrayFlag<Value, 'number', number>;

/** A closed set of strings (`--format mp4|ts`): yargs checks the choice, the option gets it as it is. */
type ChoiceFlag<Value> = [Value] extends [string]
  ? FlagBase & { choices: readonly Value[]; default?: Value }
  : never;

/** All fields of every member of a union (`{ type: 's3', bucket } | { type: 'local', root }`). */
type AllKeys<Union> = Union extends unknown ? keyof Union : never;
export type FieldsOf<Union> = {
  [Key in AllKeys<Union>]?: Union extends unknown ? (Key extends keyof Union ? Union[Key] : never) : never;
};

/**
 * An object option filled from several flags (the recorder's `source` from
 * `--bucket`, `--prefix`, `--source`, ...): its fields have a table of their
 * own, over every member of a union. The flags keep their own names (no
 * `source.` prefix); the app assembles the object from `readFlags`' values.
 */
type NestedFlags<Value> = { flags: CliOptions<FieldsOf<Value>> };

type IsPlainObject<Value> = [Value] extends [readonly unknown[]]
  ? false
  : [Value] extends [object]
    ? [Value] extends [(...args: never[]) => unknown]
      ? false
      : true
    : false;

export type CliFlag<Value> =
  IsPlainObject<Value> extends true ? NestedFlags<Value> : ScalarFlag<Value> | ChoiceFlag<Value>;

/** Any entry of any table, as the runtime sees it. */
interface AnyFlag extends FlagBase {
  type?: FlagKind;
  array?: boolean;
  choices?: readonly unknown[];
  default?: unknown;
  parse?: (raw: never) => unknown;
}
type AnyEntry = AnyFlag | { flags: AnyTable } | null;
export type AnyTable = { readonly [key: string]: AnyEntry };

/** The value a table entry gives once read. */
type EntryValue<Entry> = Entry extends { parse: (raw: never) => infer Value }
  ? Value
  : Entry extends { choices: readonly (infer Choice)[] }
    ? Choice
    : Entry extends { type: infer Kind; array: true }
      ? KindValue<Kind>[]
      : Entry extends { type: infer Kind }
        ? KindValue<Kind>
        : never;

type NestedKeys<Table> = {
  [Key in keyof Table]: Table[Key] extends { flags: unknown } ? Key : never;
}[keyof Table];
type FlagKeys<Table> = {
  [Key in keyof Table]: Table[Key] extends null ? never : Table[Key] extends { flags: unknown } ? never : Key;
}[keyof Table];

/**
 * What `readFlags` returns for a table: each flag given (or defaulted) on
 * the command line under its option's name, after `parse`; nested tables
 * as objects of their own (always present, maybe empty).
 */
export type FlagValues<Table> = Simplify<
  {
    -readonly [Key in FlagKeys<Table>]?: EntryValue<Table[Key]>;
  } & {
    -readonly [Key in NestedKeys<Table>]: Table[Key] extends { flags: infer Sub } ? FlagValues<Sub> : never;
  }
>;

/** One object type instead of an intersection (as editors and type tests show it). */
type Simplify<Type> = { [Key in keyof Type]: Type[Key] };

/** `tempDir` -> `temp-dir`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Every flag of a table, nested tables' included, with its option key. */
export function* flagEntries(table: AnyTable): Generator<[string, AnyFlag]> {
  for (const [key, entry] of Object.entries(table)) {
    if (entry === null) continue;
    if ('flags' in entry) yield* flagEntries(entry.flags);
    else yield [key, entry];
  }
}

/** The table as yargs `.options()` takes it, keyed by flag name. */
export function yargsOptions(table: object): Record<string, YargsOption> {
  const options: Record<string, YargsOption> = {};
  for (const [key, entry] of flagEntries(table as AnyTable)) {
    const name = entry.flag ?? kebabCase(key);
    if (name in options) throw new Error(`Two entries of the option table are the flag --${name}`);
    const option: YargsOption = { describe: entry.describe };
    if (entry.choices) option.choices = [...entry.choices] as YargsOption['choices'];
    else option.type = entry.type;
    if (entry.array) option.array = true;
    if (entry.alias !== undefined)
      option.alias = typeof entry.alias === 'string' ? entry.alias : [...entry.alias];
    if (entry.group !== undefined) option.group = entry.group;
    if (entry.hidden) option.hidden = true;
    if (entry.default !== undefined) option.default = entry.default;
    options[name] = option;
  }
  return options;
}

function checkNumbers(name: string, raw: unknown): void {
  // yargs turns `--concurrency x` into NaN rather than refusing it.
  const values = Array.isArray(raw) ? raw : [raw];
  for (const value of values) {
    if (typeof value !== 'number' || Number.isNaN(value)) throw invalidOption(name, 'a number', value);
  }
}

/**
 * Reads the flags of `table` out of yargs' argv: the values given (or
 * defaulted), under their options' names, through each entry's `parse`
 * (whose errors propagate: a `TypeError` from `invalidOption` or an app
 * error with its code, both exit 2 under `runCli`).
 */
export function readFlags<const Table extends object>(
  table: Table,
  argv: Readonly<Record<string, unknown>>,
): FlagValues<Table> {
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(table as AnyTable)) {
    if (entry === null) continue;
    if ('flags' in entry) {
      values[key] = readFlags(entry.flags, argv);
      continue;
    }
    const name = entry.flag ?? kebabCase(key);
    const raw = argv[name];
    if (raw === undefined) continue;
    if (entry.type === 'number' && !entry.choices) checkNumbers(name, raw);
    values[key] = entry.parse ? (entry.parse as (raw: unknown) => unknown)(raw) : raw;
  }
  return values as FlagValues<Table>;
}
