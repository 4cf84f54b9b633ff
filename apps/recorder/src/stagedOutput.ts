import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicFile, partPath } from '@rec/core/node';
import { fileError, makeDirectory } from './fileErrors.js';
import type { JobDir } from './jobDir.js';
import { RecorderErrorCode } from './RecorderError.js';

/**
 * The recording on its way to a local output path. It is written complete
 * under a part name of this run's own beside the output (core's
 * `atomicFile(output, { unique: true })`: `<output>.<random>.part`, itself
 * written through its `.part` by `writeRecording`), checked, then renamed
 * over the output: one rename on one file system, so a reader sees the old
 * file or the new one, never half of one. Two runs writing the same output
 * use two part names, and the last rename wins.
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
  const file = atomicFile(output, { unique: true });
  const temp = file.partPath;
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
        await file.commit();
      } catch (cause) {
        throw outputError(`write the output ${output}`, cause, output);
      }
    },
    async discard() {
      await Promise.all([file.discard(), atomicFile(temp).discard()]);
    },
  };
}

function outputError(action: string, cause: unknown, path: string) {
  return fileError(action, cause, { code: RecorderErrorCode.Output, path });
}
