import type { RecordProgress } from '../RecordOptions.js';
import type { RecordSummary } from '../record.js';
import type { JobFailure } from './jobFailure.js';
import type { RecordingRequest } from './recordingRequest.js';

/** Worker -> recording process. */
export type ToRecordingProcess = { type: 'run'; request: RecordingRequest } | { type: 'abort' };

/** Recording process -> worker. */
export type FromRecordingProcess =
  | { type: 'ready' }
  | { type: 'progress'; progress: RecordProgress }
  | { type: 'done'; summary: RecordSummary }
  | { type: 'failed'; failure: JobFailure; aborted: boolean };
