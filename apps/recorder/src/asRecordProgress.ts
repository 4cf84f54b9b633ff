import type { Progress } from '@rec/core';
import type { RecordPhase, RecordProgress } from './RecordOptions.js';

/** A library's progress as one phase of the recording's (the same `Progress`, `percent` in [0, 1]). */
export function asRecordProgress(phase: RecordPhase, progress: Progress): RecordProgress {
  const { transferred, total, percent, unit } = progress;
  return { phase, transferred, total, percent, unit };
}
