export { type LegacyConfig, legacyConfigSchema, readLegacyConfig } from './config.js';
export { ExitCode, RecorderError, RecorderErrorCode } from './RecorderError.js';
export { RecorderWarningCode } from './RecorderWarningCode.js';
export {
  OutputFormat,
  type RecordOptions,
  RecordPhase,
  type RecordProgress,
  type RecordSource,
} from './RecordOptions.js';
export { type RecordSummary, record } from './record.js';
