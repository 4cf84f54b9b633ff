import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CliApp, type CliOptions, type QuickCommand, readFlags } from '../src/index.js';
import { quickParse } from '../src/quickParse.js';
import { parseWithYargs } from '../src/runCli.js';

/** A dump app's options (mp4dump's shape: every kind of flag, an array positional). */
interface DumpOptions {
  verbosity?: 0 | 1 | 2 | 3;
  format?: 'text' | 'json';
  bento4?: boolean;
  tempDir?: string;
  reps?: string[];
  threads?: number;
}

const table = {
  verbosity: {
    type: 'number',
    parse: (raw) => {
      if (!Number.isInteger(raw) || raw < 0 || raw > 3) throw new TypeError(`bad verbosity ${raw}`);
      return raw as 0 | 1 | 2 | 3;
    },
    describe: 'levels',
  },
  format: { choices: ['text', 'json'], default: 'text', describe: 'layout' },
  bento4: { type: 'boolean', default: false, describe: "Bento4's fields" },
  tempDir: { type: 'string', alias: 'd', describe: 'a directory' },
  reps: { flag: 'rep', alias: 'r', type: 'string', array: true, describe: 'ids' },
  threads: { type: 'number', alias: ['t', 'max-threads'], default: 8, describe: 'parallel downloads' },
} satisfies CliOptions<DumpOptions>;

function appOf(positional: QuickCommand['positional']): CliApp & { quick: QuickCommand } {
  const declared = positional.array
    ? `[${positional.name}..]`
    : positional.required
      ? `<${positional.name}>`
      : `[${positional.name}]`;
  return {
    name: 'sample',
    packageJson: new URL('../package.json', import.meta.url),
    quick: { tables: [table], positional },
    configure: (cli) =>
      cli.command(`$0 ${declared}`, false, (command) =>
        command.positional(positional.name, { type: 'string', array: positional.array, describe: 'input' }),
      ),
    run: () => undefined,
  };
}

const files = appOf({ name: 'files', array: true, required: false });
const url = appOf({ name: 'manifest-url', array: false, required: true });

/** What `run` reads of an argv: the table's values (or the error reading them), the positional, json, debug. */
function seen(argv: Record<string, unknown>, name: string) {
  let values: unknown;
  try {
    values = readFlags(table, argv);
  } catch (error) {
    values = { error: (error as Error).message };
  }
  const positional = argv[name];
  return {
    values,
    positional: Array.isArray(positional) && positional.length === 0 ? undefined : positional,
    json: argv.json,
    debug: argv.debug,
  };
}

/** yargs' outcome for `args`: what `run` would read, or the error it fails with. */
async function byYargs(app: CliApp, args: string[], name: string) {
  try {
    return seen(await parseWithYargs(app, args), name);
  } catch (error) {
    return { failed: (error as Error).message };
  }
}

describe('quickParse: the argv yargs would give, or nothing', () => {
  it('reads plain command lines as yargs does', async () => {
    const lines = [
      ['a.mp4'],
      ['a.mp4', 'b.mp4', '--verbosity', '2'],
      ['--verbosity=1', 'a.mp4'],
      ['--format', 'json', '--bento4', 'a.mp4'],
      ['--no-bento4', '--temp-dir', '/tmp/x y', 'a.mp4'],
      ['--tempDir', 'x', '-d', 'y', 'a.mp4'],
      ['-r', 'v1', 'v2', '--rep', 'a3'],
      ['--json', '--debug', '-t', '16', 'a.mp4'],
      ['--max-threads', '4', 'a.mp4'],
      ['--verbosity', 'x', 'a.mp4'],
      ['--verbosity', '9', 'a.mp4'],
      ['--bento4', 'false', 'a.mp4'],
      ['123', '1e3', '0x10'],
      [],
    ];
    for (const args of lines) {
      const quick = quickParse(args, files.quick);
      expect(quick, args.join(' ')).toBeDefined();
      expect(seen(quick ?? {}, 'files'), args.join(' ')).toEqual(await byYargs(files, args, 'files'));
    }
    const quick = quickParse(['https://a/b.mpd', '-t', '2'], url.quick);
    expect(quick?.['manifest-url']).toBe('https://a/b.mpd');
    expect(quick?.manifestUrl).toBe('https://a/b.mpd');
    expect(quick?.threads).toBe(2);
  });

  it('leaves to yargs what yargs must print or refuse', async () => {
    const refused = [
      ['--help'],
      ['-h', 'a.mp4'],
      ['--version'],
      ['--', 'a.mp4'],
      ['--unknown', 'a.mp4'],
      ['-x', 'a.mp4'],
      ['--format', 'xml', 'a.mp4'],
      ['--a.b', '1'],
    ];
    for (const args of refused) expect(quickParse(args, files.quick), args.join(' ')).toBeUndefined();
    expect(quickParse([], url.quick)).toBeUndefined();
    expect(quickParse(['a.mpd', 'b.mpd'], url.quick)).toBeUndefined();
    // yargs' own outcome for those: usage errors (its output for --help is not an argv).
    expect(await byYargs(files, ['--unknown', 'a.mp4'], 'files')).toEqual({
      failed: 'Unknown argument: unknown',
    });
    expect(await byYargs(url, ['a.mpd', 'b.mpd'], 'manifest-url')).toMatchObject({
      failed: expect.stringContaining('Unknown argument'),
    });
  });

  it('agrees with yargs on every command line it accepts (fast-check over the flags, values and typos)', async () => {
    const token = fc.constantFrom(
      ...['a.mp4', 'b c.mp4', '7', '-1', '1.5', 'x', 'true', 'false', 'json', 'text', 'xml', 'v1'],
      ...[
        '--verbosity',
        '--verbosity=2',
        '--format',
        '--format=json',
        '--bento4',
        '--no-bento4',
        '--bento4=false',
      ],
      ...['--temp-dir', '--tempDir', '-d', '--rep', '-r', '--threads', '-t', '--max-threads', '--no-threads'],
      ...['--json', '--debug', '--no-json', '--unknown', '-x', '-dt', '--', '--help', '-h', '--version', '='],
    );
    let accepted = 0;
    for (const app of [files, url]) {
      const name = app.quick.positional.name;
      await fc.assert(
        fc.asyncProperty(fc.array(token, { maxLength: 7 }), async (args) => {
          const quick = quickParse(args, app.quick);
          if (quick === undefined) return;
          accepted++;
          expect(seen(quick, name)).toEqual(await byYargs(app, args, name));
        }),
        { numRuns: 400 },
      );
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
