import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { partPath } from '@rec/core/node';
import { fileError, makeDirectory } from './fileErrors.js';
import type { JobDir } from './jobDir.js';
import { RecorderErrorCode } from './RecorderError.js';

/**
 * The recording on its way to a local output path. It is written complete
 * under a name of this run's own beside the output (`<output>.rec-<runId>`,
 * through its `.part`, by `writeRecording`), checked, then renamed over the
 * output: one rename on one file system, so a reader sees the old file or
 * the new one, never half of one. Two runs writing the same output use two
 * temp names, and the last rename wins.
 */
export interface StagedOutput {
  /** Where `writeRecording` writes. */
  readonly temp: string;
  /** Renames the finished temp file to the output path. */
  commit(): Promise<void>;
  /** Removes the temp file (and its part); never throws. */
  discard(): Promise<void>;
}

export async function stageOutput(output: string, job: JobDir): Promise<StagedOutput> {
  try {
    await makeDirectory(dirname(output));
  } catch (cause) {
    throw outputError(`create the output directory ${dirname(output)}`, cause, dirname(output));
  }
  const temp = `${output}.rec-${job.runId}`;
  // Recorded first: a run killed while writing leaves them to the next run of the job to remove.
  await job.addStrays([temp, partPath(temp)]);
  // Found now, not after the download and the encode: an output directory we cannot write in.
  try {
    await writeFile(temp, '');
  } catch (cause) {
    throw outputError(`write the output ${output}`, cause, output);
  }
  return {
    temp,
    async commit() {
      try {
        await rename(temp, output);
      } catch (cause) {
        throw outputError(`write the output ${output}`, cause, output);
      }
    },
    async discard() {
      await Promise.all(
        [temp, partPath(temp)].map((path) => rm(path, { force: true }).catch(() => undefined)),
      );
    },
  };
}

function outputError(action: string, cause: unknown, path: string) {
  return fileError(action, cause, { code: RecorderErrorCode.Output, path });
}
