export { CliError, CliErrorCode, CliExitCode, type StopSignal, signalExitCodes } from './CliError.js';
export {
  type DescribeOptions,
  debugDetails,
  describeFailure,
  type Failure,
  isOptionError,
  isZodError,
} from './describeFailure.js';
export {
  type CliFlag,
  type CliOptions,
  type FieldsOf,
  type FlagBase,
  type FlagValues,
  kebabCase,
  readFlags,
  yargsOptions,
} from './flags.js';
export { hideLibraryNotices, isLibraryNotice } from './hideLibraryNotices.js';
export { jsonResultOf, withJsonResult } from './jsonResult.js';
export {
  createProgressReporter,
  describeProgress,
  type LabelledProgress,
  type ProgressReporter,
  type ProgressReporterOptions,
} from './progress/createProgressReporter.js';
export { formatBytes } from './progress/formatBytes.js';
export type { QuickCommand } from './quickParse.js';
export { readVersion } from './readVersion.js';
export { type CliApp, type CliContext, type CommonFlags, type ParsedArguments, runCli } from './runCli.js';
export {
  escapeControlCharacters,
  redactSecrets,
  sanitizeLines,
  sanitizeMessage,
  secretValues,
} from './sanitize.js';
