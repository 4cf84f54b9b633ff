import type { MuxProgress } from '@rec/mux';
import type { RecordPhase, RecordProgress } from './RecordOptions.js';

/** A library's progress (`percent` in [0, 1]) as the recorder reports it (`percent` in [0, 100]). */
export function asRecordProgress(phase: RecordPhase, progress: MuxProgress): RecordProgress {
  return {
    phase,
    transferred: progress.transferred,
    ...(progress.total === undefined ? {} : { total: progress.total }),
    ...(progress.percent === undefined ? {} : { percent: progress.percent * 100 }),
    unit: progress.unit,
  };
}
