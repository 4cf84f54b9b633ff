import yargsParser from 'yargs-parser';
import { type AnyTable, flagEntries, kebabCase } from './flags.js';
import type { ParsedArguments } from './runCli.js';

/**
 * A CLI of one command (`$0 [files..]`, `$0 <manifest-url>`) that `runCli`
 * may read without yargs: its option tables (which `runCli` also gives
 * yargs, through `yargsOptions`) and its one positional (which `configure`
 * declares to yargs).
 */
export interface QuickCommand {
  tables: readonly object[];
  positional: {
    /** As declared to yargs (`manifest-url`); argv also gets its camelCase. */
    name: string;
    /** `[files..]`: any number, as an array. Otherwise one value. */
    array: boolean;
    /** `<manifest-url>`: a command line without it goes to yargs (for its error). */
    required: boolean;
  };
}

/** What yargs-parser is given, and what tells a command line it can read from one it cannot. */
interface QuickSpec {
  options: yargsParser.Options;
  /** Every key a command line may set: flag names, aliases, their camelCase. */
  known: Set<string>;
  choices: [name: string, choices: readonly unknown[]][];
}

/**
 * The argv yargs would give `run` for a plain command line, read by
 * yargs-parser (the parser yargs runs, with the options and configuration
 * yargs gives it), or undefined for anything yargs must see: `--help`,
 * `--version`, an unknown flag, a value outside its choices, a missing or
 * extra positional, a parse error, `--`. Those go to yargs, which prints
 * its usage or its error; a plain dump or download does not load yargs
 * (about 20 ms of a 120 ms mp4dump run).
 */
export function quickParse(args: readonly string[], command: QuickCommand): ParsedArguments | undefined {
  // `--help`, `-h` and `--version` come back as keys no table has (below); `--` leaves nothing to see.
  if (args.includes('--')) return undefined;
  const spec = specOf(command);
  const parsed = yargsParser.detailed([...args], spec.options);
  if (parsed.error) return undefined;
  const argv: Record<string, unknown> = parsed.argv;
  for (const key of Object.keys(argv)) {
    if (key !== '_' && !spec.known.has(key)) return undefined;
  }
  for (const [name, choices] of spec.choices) {
    const value = argv[name];
    if (value !== undefined && !choices.includes(value)) return undefined;
  }
  const { name, array, required } = command.positional;
  const rest = parsed.argv._.map(String);
  if ((required && rest.length === 0) || (!array && rest.length > 1)) return undefined;
  const value = array ? rest : rest[0];
  const result: Record<string, unknown> = { ...argv, _: [], $0: '' };
  if (value !== undefined) {
    result[name] = value;
    result[yargsParser.camelCase(name)] = value;
  }
  return result as ParsedArguments;
}

function specOf(command: QuickCommand): QuickSpec {
  const options = {
    alias: {} as Record<string, string[]>,
    array: [] as string[],
    boolean: ['json', 'debug'],
    number: [] as string[],
    string: [] as string[],
    default: { json: false, debug: false } as Record<string, unknown>,
    configuration: { 'parse-positional-numbers': false },
  } satisfies yargsParser.Options;
  const known = new Set(['json', 'debug']);
  const choices: QuickSpec['choices'] = [];
  for (const table of command.tables) {
    for (const [key, entry] of flagEntries(table as AnyTable)) {
      const name = entry.flag ?? kebabCase(key);
      const aliases =
        entry.alias === undefined ? [] : typeof entry.alias === 'string' ? [entry.alias] : entry.alias;
      for (const each of [name, ...aliases]) {
        known.add(each);
        known.add(yargsParser.camelCase(each));
      }
      if (aliases.length > 0) options.alias[name] = [...aliases];
      if (entry.choices) choices.push([name, entry.choices]);
      else if (entry.type) options[entry.type].push(name);
      if (entry.array) options.array.push(name);
      if (entry.default !== undefined) options.default[name] = entry.default;
    }
  }
  return { options, known, choices };
}
