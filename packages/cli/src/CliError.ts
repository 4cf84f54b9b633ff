import { RecError } from '@rec/core';

/** Codes of what the CLI plumbing itself reports (the apps' and libraries' errors keep theirs). */
export const CliErrorCode = {
  /** The command line is wrong: yargs refused it, an option value failed validation, a zod schema at the edge. */
  BadArguments: 'CLI_BAD_ARGUMENTS',
  /** SIGINT or SIGTERM stopped the run. */
  Interrupted: 'CLI_INTERRUPTED',
  /** A command this version does not have yet. */
  NotImplemented: 'CLI_NOT_IMPLEMENTED',
  /** Anything that is not a rec error: a bug, or a system error a library let through. */
  Unexpected: 'CLI_UNEXPECTED',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** An error of the CLI plumbing: bad arguments, an interrupt (the abort reason), a missing command. */
export class CliError extends RecError<CliErrorCode> {
  override readonly name = 'CliError';
}

/** Exit codes every rec CLI shares; an app adds its own for some of its error codes. */
export const CliExitCode = {
  Ok: 0,
  Failure: 1,
  BadArguments: 2,
  /** 128 + 2, as a shell reports a process killed by SIGINT. */
  Sigint: 130,
  /** 128 + 15. */
  Sigterm: 143,
} as const;
export type CliExitCode = (typeof CliExitCode)[keyof typeof CliExitCode];

/** The signals a CLI turns into an abort, with the exit code each gives. */
export const signalExitCodes = { SIGINT: CliExitCode.Sigint, SIGTERM: CliExitCode.Sigterm } as const;
export type StopSignal = keyof typeof signalExitCodes;
