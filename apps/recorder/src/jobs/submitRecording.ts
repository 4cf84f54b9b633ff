import { RECORDING_JOB, type RecordingQueueOptions, recordingJobOptions } from './queueSettings.js';
import { recordingJobId } from './recordingJobId.js';
import {
  type RecordingRequest,
  type RecordingRequestInput,
  recordingRequestSchema,
  withAbsolutePaths,
} from './recordingRequest.js';
import { withQueue } from './withQueue.js';

export interface SubmittedRecording {
  /** The job id: `recordingJobId` of the request. */
  id: string;
  /** False when a job of that id was there already (waiting, running, done, or failed and now retried). */
  added: boolean;
  /** True when the job of that id had failed and was put back to run again. */
  retried: boolean;
}

/**
 * Queues one recording. The request is checked (zod) and its local paths
 * made absolute from this process's working directory; its id is a hash
 * of what the output depends on, so submitting the same recording again
 * adds nothing while the first job is waiting, running, or kept as
 * completed (7 days); a failed one is retried instead.
 */
export async function submitRecording(
  request: RecordingRequestInput | RecordingRequest,
  options: RecordingQueueOptions,
): Promise<SubmittedRecording> {
  const data = withAbsolutePaths(recordingRequestSchema.parse(request));
  const id = recordingJobId(data);
  return withQueue(options, async (queue) => {
    // A duplicate id leaves the stored job as it is: its timestamp tells whether this call added it.
    const timestamp = Date.now();
    await queue.add(RECORDING_JOB, data, { ...recordingJobOptions, jobId: id, timestamp });
    const stored = await queue.getJob(id);
    const added = stored?.timestamp === timestamp;
    if (!added && stored && (await stored.isFailed())) {
      await stored.retry('failed');
      return { id, added: false, retried: true };
    }
    return { id, added, retried: false };
  });
}
