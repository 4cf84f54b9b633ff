import type { Argv } from 'yargs';
import { CliError, CliErrorCode, type StopSignal, signalExitCodes } from './CliError.js';
import { debugDetails, describeFailure } from './describeFailure.js';
import { yargsOptions } from './flags.js';
import { hideLibraryNotices } from './hideLibraryNotices.js';
import { jsonResultOf } from './jsonResult.js';
import { createProgressReporter, type ProgressReporter } from './progress/createProgressReporter.js';
import { type QuickCommand, quickParse } from './quickParse.js';
import { readVersion } from './readVersion.js';
import { secretValues } from './sanitize.js';

/** The flags every rec CLI has, besides `-h/--help` and `--version`. */
export interface CommonFlags {
  json: boolean;
  debug: boolean;
}

/** What `runCli` hands the app's `run`. */
export interface CliContext {
  /** Aborted (with a `CliError` of code `CLI_INTERRUPTED`) by the first SIGINT or SIGTERM: pass it to the library. */
  signal: AbortSignal;
  json: boolean;
  debug: boolean;
  /** On stderr; silent under `--json`. Ended by `runCli` before anything else is printed. */
  progress: ProgressReporter;
  /**
   * Aborted by a second SIGINT or SIGTERM when the app has
   * `secondSignal: 'abort'` (a worker that drains on the first signal stops
   * its running work on the second); never aborted otherwise.
   */
  force: AbortSignal;
}

/**
 * yargs' argv as `run` gets it: read the app's flags with `readFlags`
 * (typed by the option table), positionals by name.
 */
export type ParsedArguments = Readonly<Record<string, unknown>> & CommonFlags & { _: (string | number)[] };

export interface CliApp {
  /** The command's name: in `--help`, and first on every error line. */
  name: string;
  /** The app's package.json, for `--version` (`new URL('../package.json', import.meta.url)`). */
  packageJson: URL;
  /** Exit codes for some of the app's error codes (the recorder: `NOTHING_IN_WINDOW` -> 3); others exit 1. */
  exitCodes?: Readonly<Record<string, number>>;
  /** Added to the interrupt message (the recorder: `re-run to resume`). */
  interruptHint?: string;
  /**
   * What a second SIGINT/SIGTERM does: `exit` (default) exits at once;
   * `abort` aborts `context.force` and lets `run` end (a third signal exits
   * at once). A function decides from the command line (one subcommand's).
   */
  secondSignal?: 'exit' | 'abort' | ((argv: ParsedArguments) => 'exit' | 'abort');
  /** Usage, positionals, options (see `yargsOptions`) and examples. */
  configure(cli: Argv): Argv;
  /**
   * For an app of one command: its option tables (given to yargs here, after
   * `configure`: not in `configure` too) and its positional (as `configure`
   * declares it), so that a plain command line is read without loading
   * yargs (`quickParse`; anything else still goes to yargs).
   */
  quick?: QuickCommand;
  /** Does the work and prints the result on stdout; throws on failure. */
  run(argv: ParsedArguments, context: CliContext): Promise<void> | void;
}

/** Raised inside yargs' `fail`, so that the usage hint is printed for it alone. */
class UsageError extends CliError {}

/**
 * Runs a CLI the way every rec app does: parses the command line with yargs
 * (`-h/--help`, `--version` from the app's package.json, `--json`,
 * `--debug`, unknown flags refused), runs the app with an AbortSignal that
 * the first SIGINT/SIGTERM aborts (a second one exits at once, or aborts
 * `force` with `secondSignal: 'abort'`), and turns
 * the outcome into output and an exit code:
 *
 * - success: 0;
 * - failure: one stderr line `<app>: <message> [<CODE>]` (control characters
 *   escaped, credentials redacted), the stacks and causes under `--debug`,
 *   `{ "ok": false, "error": { "code", "message" } }` on stdout under
 *   `--json`; exit 2 for bad arguments (yargs, option `TypeError`s, zod),
 *   130 after SIGINT, 143 after SIGTERM, the app's `exitCodes`, else 1.
 *
 * Library notices (the AWS SDK's Node version warning, deprecations) are
 * shown only under `--debug`. Resolves with the exit code, which is also
 * `process.exitCode`; after a signal the process exits once the output is
 * written, whatever handles the interrupted work left open.
 */
export async function runCli(app: CliApp, args: string[] = process.argv.slice(2)): Promise<number> {
  const secrets = secretValues(process.env);
  // Until yargs has parsed them, the raw flags decide (a failure to parse is printed with them).
  let debug = args.includes('--debug');
  let json = args.includes('--json');
  hideLibraryNotices(() => debug);
  let progress: ProgressReporter | undefined;
  let received: StopSignal | undefined;
  const controller = new AbortController();
  const force = new AbortController();

  const fail = (error: unknown): number => {
    progress?.done();
    // After a signal, whatever the abort surfaced as, the interrupt is what happened.
    const shown = received === undefined ? error : controller.signal.reason;
    const failure = describeFailure(shown, {
      app: app.name,
      exitCodes: app.exitCodes,
      secrets,
      signal: received,
    });
    process.stderr.write(`${failure.line}\n`);
    if (error instanceof UsageError) process.stderr.write(`Run '${app.name} --help' for usage.\n`);
    if (debug) process.stderr.write(`${debugDetails(error, secrets)}\n`);
    if (json) {
      // A run that failed after doing work reports both in one document (`ok` first, `error` last).
      const document = Object.assign({ ok: false }, jsonResultOf(error), failure.json);
      process.stdout.write(`${JSON.stringify(document)}\n`);
    }
    return failure.exitCode;
  };

  let argv: ParsedArguments;
  try {
    argv = (app.quick && quickParse(args, app.quick)) || (await parseWithYargs(app, args));
  } catch (error) {
    const exitCode = fail(error);
    process.exitCode = exitCode;
    return exitCode;
  }
  debug = argv.debug === true;
  json = argv.json === true;
  const secondSignal = typeof app.secondSignal === 'function' ? app.secondSignal(argv) : app.secondSignal;

  const onSignal = (signal: StopSignal) => {
    if (received !== undefined && secondSignal === 'abort' && !force.signal.aborted) {
      force.abort(new CliError(CliErrorCode.Interrupted, `Interrupted again (${signal})`));
      return;
    }
    if (received !== undefined) {
      progress?.done();
      process.exit(signalExitCodes[signal]);
    }
    received = signal;
    const hint = app.interruptHint ? `; ${app.interruptHint}` : '';
    controller.abort(new CliError(CliErrorCode.Interrupted, `Interrupted (${signal})${hint}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  progress = createProgressReporter({ enabled: !json });
  let exitCode: number;
  try {
    await app.run(argv, { signal: controller.signal, json, debug, progress, force: force.signal });
    progress.done();
    exitCode = 0;
  } catch (error) {
    exitCode = fail(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.exitCode = exitCode;
  // Sockets of a keep-alive pool or an encoder's pipes that the abort left must not hold an interrupted run.
  if (received !== undefined && exitCode !== 0) process.exit(exitCode);
  return exitCode;
}

/**
 * The command line as yargs reads it (loaded here, not up front: a
 * `quick` app runs without it), with the flags every app has: `--json`,
 * `--debug`, `--version`, `-h/--help`; unknown flags refused.
 */
export async function parseWithYargs(app: CliApp, args: string[]): Promise<ParsedArguments> {
  const { default: yargs } = await import('yargs');
  let cli = app.configure(yargs(args).scriptName(app.name));
  for (const table of app.quick?.tables ?? []) cli = cli.options(yargsOptions(table));
  return (await cli
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the result (or the error) as JSON on stdout',
    })
    .option('debug', {
      type: 'boolean',
      default: false,
      describe: 'print stacks and causes of errors, and library notices',
    })
    .version(readVersion(app.packageJson))
    .help()
    .alias('h', 'help')
    .strict()
    .fail((message, error) => {
      // yargs puts some messages on several lines ("Invalid values:\n  Argument: ..."): one line.
      throw error ?? new UsageError(CliErrorCode.BadArguments, message.replace(/\s*\n\s*/g, ' '));
    })
    .parseAsync()) as unknown as ParsedArguments;
}
