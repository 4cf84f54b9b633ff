import { inspect } from 'node:util';
import { isRecError } from '@rec/core';
import { CliErrorCode, CliExitCode, type StopSignal, signalExitCodes } from './CliError.js';
import { sanitizeLines, sanitizeMessage } from './sanitize.js';

/** What a CLI prints and returns for a failed run. */
export interface Failure {
  /** A rec error's code, or one of `CliErrorCode` for anything else. */
  code: string;
  /** Sanitized: one line, no control characters, no credentials. */
  message: string;
  exitCode: number;
  /** `<app>: <message> [<CODE>]`, the one stderr line. */
  line: string;
  /** The `--json` error object. */
  json: { ok: false; error: { code: string; message: string } };
}

export interface DescribeOptions {
  app: string;
  /** Exit codes by error code, beyond 1 (the recorder: `NOTHING_IN_WINDOW` -> 3). */
  exitCodes?: Readonly<Record<string, number>>;
  /** Values never to print (see `secretValues`). */
  secrets?: readonly string[];
  /** The signal that stopped the run, if one did: it decides the exit code whatever error the abort surfaced as. */
  signal?: StopSignal;
}

const builtInExitCodes: Record<string, number> = {
  [CliErrorCode.BadArguments]: CliExitCode.BadArguments,
  [CliErrorCode.Interrupted]: CliExitCode.Sigint,
};

/**
 * A `TypeError` from `invalidOption` and its helpers in @rec/core, the one
 * format of option errors: ``Expected `concurrency` to be an integer ..., got `0` (number)``.
 * Other `TypeError`s are bugs, not the user's arguments.
 */
export function isOptionError(error: unknown): error is TypeError {
  return error instanceof TypeError && /^Expected `[^`]+` to be /.test(error.message);
}

interface ZodLikeError extends Error {
  issues: { path: readonly PropertyKey[]; message: string }[];
}

/**
 * zod's `ZodError`, recognised by its name and `issues` so that the CLI
 * plumbing need not depend on zod: the apps validate their config and
 * arguments with it at the edge.
 */
export function isZodError(error: unknown): error is ZodLikeError {
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as ZodLikeError).issues);
}

function zodMessage(error: ZodLikeError): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function plainMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : inspect(error, { depth: 2, breakLength: Infinity });
}

/** Code, message and exit code of whatever a run threw. */
function classify(error: unknown): { code: string; message: string } {
  if (isRecError(error)) return { code: error.code, message: error.message || error.name };
  if (isOptionError(error)) return { code: CliErrorCode.BadArguments, message: error.message };
  if (isZodError(error)) return { code: CliErrorCode.BadArguments, message: zodMessage(error) };
  return { code: CliErrorCode.Unexpected, message: plainMessage(error) };
}

/**
 * Turns what a run threw into the one line, the JSON object and the exit
 * code: 0 is never returned; 2 for bad arguments; 130/143 when a signal
 * stopped the run; the app's own codes; 1 for everything else.
 */
export function describeFailure(error: unknown, options: DescribeOptions): Failure {
  const { code, message: raw } = classify(error);
  const message = sanitizeMessage(raw, options.secrets);
  const exitCode =
    options.signal === undefined
      ? (options.exitCodes?.[code] ?? builtInExitCodes[code] ?? CliExitCode.Failure)
      : signalExitCodes[options.signal];
  return {
    code,
    message,
    exitCode,
    line: `${options.app}: ${message} [${code}]`,
    json: { ok: false, error: { code, message } },
  };
}

/**
 * The `--debug` text: the stack of `error` and of each cause (and each of an
 * `AggregateError`'s errors), sanitized like the message. Causes are followed
 * to a depth of 8 and never twice (a cause chain can be a cycle).
 */
export function debugDetails(error: unknown, secrets: readonly string[] = []): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, label: string, depth: number) => {
    if (value === undefined || depth > 8 || seen.has(value)) return;
    seen.add(value);
    let text: string;
    if (value instanceof Error) {
      const { code } = value as { code?: unknown };
      const shownCode = typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
      // The code goes on the stack's first line, after `Name: message`.
      const [head = '', ...frames] = (value.stack ?? `${value.name}: ${value.message}`).split('\n');
      text = [`${head}${shownCode}`, ...frames].join('\n');
    } else {
      text = plainMessage(value);
    }
    parts.push(`${label}${sanitizeLines(text, secrets)}`);
    // A tool's own output kept on the error (MuxError.log: the tail of ffmpeg's stderr).
    const { log } = value as { log?: unknown };
    if (typeof log === 'string' && log.length > 0) parts.push(`Log:\n${sanitizeLines(log, secrets)}`);
    if (value instanceof AggregateError) {
      for (const [index, inner] of value.errors.entries()) {
        visit(inner, `Error ${index + 1} of ${value.errors.length}: `, depth + 1);
      }
    }
    if (value instanceof Error) visit(value.cause, 'Caused by: ', depth + 1);
  };
  visit(error, '', 0);
  return parts.join('\n');
}
