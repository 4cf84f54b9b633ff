import { describe, expect, expectTypeOf, it } from 'vitest';
import yargs from 'yargs';
import { type CliOptions, type FlagValues, readFlags, yargsOptions } from '../src/index.js';

/** A library's options, as the apps' tables are typed against theirs. */
interface SampleOptions {
  input: string;
  source: { type: 'dir'; root: string } | { type: 'url'; url: string; insecure?: boolean };
  concurrency?: number;
  format?: 'text' | 'json';
  startAt?: number;
  reps?: string[];
  keepTemp?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}

const table = {
  input: { alias: 'i', type: 'string', describe: 'input file' },
  source: {
    flags: {
      type: null,
      root: { flag: 'dir', type: 'string', describe: 'a directory' },
      url: { type: 'string', describe: 'a URL' },
      insecure: { type: 'boolean', describe: 'skip TLS checks' },
    },
  },
  concurrency: { type: 'number', default: 4, describe: 'parallel work' },
  format: { choices: ['text', 'json'], describe: 'output format' },
  startAt: { type: 'string', describe: 'start time', parse: (text) => Date.parse(text) / 1000 },
  reps: { alias: 'r', type: 'string', array: true, describe: 'representations' },
  keepTemp: { type: 'boolean', describe: 'keep the temp dir' },
  signal: null,
} satisfies CliOptions<SampleOptions>;

const parse = (args: string[]) => yargs(args).options(yargsOptions(table)).strict().parseSync();

describe('the option table', () => {
  it('gives yargs every flag once, named in kebab-case or by `flag`', () => {
    expect(Object.keys(yargsOptions(table)).sort()).toEqual(
      ['concurrency', 'dir', 'format', 'input', 'insecure', 'keep-temp', 'reps', 'start-at', 'url'].sort(),
    );
    expect(yargsOptions(table).format).toEqual({ describe: 'output format', choices: ['text', 'json'] });
    expect(yargsOptions(table).input).toEqual({ describe: 'input file', type: 'string', alias: 'i' });
  });

  it('reads the values back under the options names, parsed', () => {
    const argv = parse([
      '-i',
      'a.mp4',
      '--dir',
      '/d',
      '--start-at',
      '2024-01-01T00:00:10Z',
      '-r',
      'v1',
      '-r',
      'v2',
    ]);
    expect(readFlags(table, argv)).toEqual({
      input: 'a.mp4',
      source: { root: '/d' },
      concurrency: 4,
      startAt: 1_704_067_210,
      reps: ['v1', 'v2'],
    });
    expect(readFlags(table, parse(['--keep-temp', '--format', 'json']))).toMatchObject({
      keepTemp: true,
      format: 'json',
    });
  });

  it('refuses a number flag that is no number', () => {
    expect(() => readFlags(table, parse(['--concurrency', 'many']))).toThrow(
      new TypeError('Expected `concurrency` to be a number, got `NaN` (number)'),
    );
  });

  it('refuses two entries for one flag', () => {
    const twice = { a: { type: 'string', describe: 'a' }, b: { flag: 'a', type: 'string', describe: 'b' } };
    expect(() => yargsOptions(twice)).toThrow('Two entries of the option table are the flag --a');
  });

  it('types the values after the options', () => {
    expectTypeOf<FlagValues<typeof table>>().toEqualTypeOf<{
      input?: string;
      concurrency?: number;
      format?: 'text' | 'json';
      startAt?: number;
      reps?: string[];
      keepTemp?: boolean;
      source: { root?: string; url?: string; insecure?: boolean };
    }>();
  });

  it('does not compile when a flag drifts from the options', () => {
    // @ts-expect-error an option without an entry (`signal` is missing)
    const missing: CliOptions<Pick<SampleOptions, 'input' | 'signal'>> = {
      input: { type: 'string', describe: 'input' },
    };
    const extra: CliOptions<Pick<SampleOptions, 'input'>> = {
      input: { type: 'string', describe: 'input' },
      // @ts-expect-error a flag that is no option
      output: { type: 'string', describe: 'output' },
    };
    const wrongType: CliOptions<Pick<SampleOptions, 'concurrency'>> = {
      // @ts-expect-error a string flag for a number option needs a `parse`
      concurrency: { type: 'string', describe: 'parallel work' },
    };
    const wrongChoice: CliOptions<Pick<SampleOptions, 'format'>> = {
      // @ts-expect-error a choice the option does not have
      format: { choices: ['text', 'xml'], describe: 'format' },
    };
    expect([missing, extra, wrongType, wrongChoice]).toHaveLength(4);
  });
});
