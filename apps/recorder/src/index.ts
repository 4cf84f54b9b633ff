export { type LegacyConfig, legacyConfigSchema, readLegacyConfig } from './config.js';
export type { RemovedJobDirs as RemovedRecordingState } from './jobDir.js';
export { parseInstant } from './parseInstant.js';
export { ExitCode, RecorderError, RecorderErrorCode } from './RecorderError.js';
export { RecorderWarningCode } from './RecorderWarningCode.js';
export {
  type Instant,
  OutputFormat,
  type RecordOptions,
  RecordPhase,
  type RecordProgress,
  type RecordSource,
  type S3Client,
} from './RecordOptions.js';
export {
  type RecordDamage,
  type RecordingStateOptions,
  type RecordSummary,
  record,
  removeRecordingState,
} from './record.js';
