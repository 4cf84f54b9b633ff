import { stat } from 'node:fs/promises';
import { CliError, CliErrorCode } from '@rec/cli';

/**
 * Checks every file of the command line before anything is dumped: a
 * missing one, a directory, a pipe or a device is a bad argument (exit 2)
 * and nothing is printed, rather than half a run.
 */
export async function checkInputFiles(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'ENOENT' ? 'no such file' : `cannot be read (${error.code ?? error.message})`;
      throw new CliError(CliErrorCode.BadArguments, `${file}: ${reason}`, { cause: error });
    });
    if (info.isDirectory()) {
      throw new CliError(
        CliErrorCode.BadArguments,
        `${file} is a directory (for a DASH directory: mp4dump -d ${file})`,
      );
    }
    // A pipe or a device has no size to walk boxes to, nor random access.
    if (!info.isFile()) {
      throw new CliError(
        CliErrorCode.BadArguments,
        `${file} is not a regular file (mp4dump reads files at random offsets: save the stream to a file first)`,
      );
    }
  }
}
