import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegPath } from '@rec/test-support';

/** Which ffmpeg command of a recording a wrapper rule applies to, by an argument only it has. */
export const FfmpegStep = {
  /** The AAC encode of the WAV (`-b:a`: the mux only copies, with `-f aac` on its input). */
  Encode: '-b:a',
  /** The final MP4 assembly (`-movflags +faststart`). */
  Mux: '+faststart',
} as const;
export type FfmpegStep = (typeof FfmpegStep)[keyof typeof FfmpegStep];

export interface FfmpegWrapperOptions {
  /** Exit 1 without running ffmpeg for this step (a failure in the middle of a recording). */
  failOn?: FfmpegStep;
  /**
   * Run ffmpeg, then create `signalFile` and wait `seconds` before exiting:
   * the recorder sits in that step, ffmpeg's output written, and a test
   * watching for the file knows it.
   */
  holdAfter?: { step: FfmpegStep; seconds: number; signalFile: string };
}

/**
 * Writes `<dir>/ffmpeg`, a shell script that runs the tests' real ffmpeg
 * with its arguments unchanged, failing or holding on one step: what the
 * recorder's `--ffmpeg` takes to fail or be killed at a known point.
 */
export async function writeFfmpegWrapper(
  dir: string,
  options: FfmpegWrapperOptions,
  name = 'ffmpeg',
): Promise<string> {
  const path = join(dir, name);
  const lines = ['#!/bin/sh'];
  if (options.failOn) {
    lines.push(
      `case " $* " in *" ${options.failOn} "*) echo "wrapper: failing on purpose" >&2; exit 1;; esac`,
    );
  }
  lines.push(`${JSON.stringify(ffmpegPath())} "$@"`, 'status=$?');
  if (options.holdAfter) {
    const { step, seconds, signalFile } = options.holdAfter;
    lines.push(`case " $* " in *" ${step} "*) : > ${JSON.stringify(signalFile)}; sleep ${seconds};; esac`);
  }
  lines.push('exit $status', '');
  await writeFile(path, lines.join('\n'));
  await chmod(path, 0o755);
  return path;
}
