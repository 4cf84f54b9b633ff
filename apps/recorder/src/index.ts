export { type LegacyConfig, legacyConfigSchema, readLegacyConfig } from './config.js';
export type { RemovedJobDirs as RemovedRecordingState } from './jobDir.js';
export {
  createRecordingWorker,
  type RecordingJobProgress,
  type RecordingWorker,
  type RecordingWorkerOptions,
} from './jobs/createRecordingWorker.js';
export { isTransientFailure, type JobFailure } from './jobs/jobFailure.js';
export {
  DEFAULT_QUEUE,
  type RecordingQueueOptions,
  recordingJobOptions,
  recordingWorkerSettings,
} from './jobs/queueSettings.js';
export { RecordingJobError, RecordingJobErrorCode } from './jobs/RecordingJobError.js';
export { type RecordingJobCounts, recordingJobCounts } from './jobs/recordingJobCounts.js';
export { recordingJobId } from './jobs/recordingJobId.js';
export {
  type RecordingRequest,
  type RecordingRequestInput,
  recordingRequestOf,
  recordingRequestSchema,
} from './jobs/recordingRequest.js';
export { type RecordingStatus, recordingStatus } from './jobs/recordingStatus.js';
export { type SubmittedRecording, submitRecording } from './jobs/submitRecording.js';
export { type WaitForRecordingOptions, waitForRecording } from './jobs/waitForRecording.js';
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
