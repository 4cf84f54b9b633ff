import { describeFailure } from '@rec/cli';
import type { DumpOptions } from '../dump/index.js';
import { Mp4DumpError } from '../Mp4DumpError.js';
import { createTextSink } from '../output/TextSink.js';
import { checkInputFiles } from './checkInputFiles.js';
import { dumpFiles } from './dumpFiles.js';

/**
 * `mp4dump FILE...`: checks the files, dumps them to stdout, and throws
 * (after everything was dumped) when one is damaged: with one file, the
 * reader's error with the file's name before it; with several, a count
 * (each one was named on stderr as it was found). Returns quietly when the
 * reader of stdout went away.
 */
export async function runFiles(
  files: readonly string[],
  options: Omit<DumpOptions, 'signal'>,
  signal: AbortSignal,
): Promise<void> {
  await checkInputFiles(files);
  const sink = createTextSink(process.stdout);
  let outcomes: Awaited<ReturnType<typeof dumpFiles>>;
  try {
    outcomes = await dumpFiles(
      files,
      sink,
      { ...options, signal: AbortSignal.any([signal, sink.closed]) },
      files.length > 1
        ? (file, error, damaged) =>
            process.stderr.write(
              `${describeFailure(new Mp4DumpError(error.code, `${file}: ${error.message}${moreDamaged(damaged)}`), { app: 'mp4dump' }).line}\n`,
            )
        : undefined,
    );
  } catch (error) {
    // `mp4dump big.mp4 | head`: nothing more to say.
    if (sink.closed.aborted && !signal.aborted) return;
    throw error;
  }
  const damaged = outcomes.filter((outcome) => outcome.error !== undefined);
  const [first] = damaged;
  if (!first?.error) return;
  throw files.length === 1
    ? new Mp4DumpError(
        first.error.code,
        `${first.file}: ${first.error.message}${moreDamaged(first.damaged)}`,
        {
          file: first.file,
          cause: first.error,
        },
      )
    : new Mp4DumpError(
        first.error.code,
        `${damaged.length} of ${files.length} files ${damaged.length === 1 ? 'is' : 'are'} damaged: ${damaged.map(({ file }) => file).join(', ')}`,
        { file: first.file, cause: first.error },
      );
}

/** After the first damaged box's message: how many more the dump went past. */
function moreDamaged(damaged: number): string {
  return damaged > 1 ? ` (and ${damaged - 1} more damaged box${damaged === 2 ? '' : 'es'})` : '';
}
