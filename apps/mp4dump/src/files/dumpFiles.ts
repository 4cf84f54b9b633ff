import { openFileSource } from '@rec/core/node';
import type { BoxParseError } from '@rec/fmp4-boxes';
import { type DumpOptions, dumpSource } from '../dump/index.js';
import type { TextSink } from '../output/TextSink.js';

export interface FileDumpOutcome {
  file: string;
  boxes: number;
  /** The first damaged box. */
  error?: BoxParseError;
  /** Damaged boxes in all (the dump went on past those it could step over). */
  damaged: number;
}

/**
 * Dumps `files` to `sink`, in order. One file: exactly the formatter's
 * output (Bento4's, byte for byte, under `--bento4`). Several: in text, each
 * dump follows a `# <file>` line; in JSON, one array with an entry per file,
 * `{ "file": ..., "boxes": <the dump>, "error"?: { code, message, offset, path } }`.
 * A damaged file is dumped as far as it is valid and the next one follows;
 * `onError` hears of it as soon as it is found.
 */
export async function dumpFiles(
  files: readonly string[],
  sink: TextSink,
  options: DumpOptions,
  onError?: (file: string, error: BoxParseError, damaged: number) => void,
): Promise<FileDumpOutcome[]> {
  const framed = files.length > 1;
  const json = options.format === 'json';
  const outcomes: FileDumpOutcome[] = [];
  if (framed && json) await sink.write('[\n');
  for (const [index, file] of files.entries()) {
    if (framed) {
      await sink.write(
        json ? `${index === 0 ? '' : ',\n'}{ "file": ${JSON.stringify(file)}, "boxes":\n` : `# ${file}\n`,
      );
    }
    const source = await openFileSource(file, { blocking: true });
    let outcome: FileDumpOutcome;
    try {
      const result = await dumpSource(source, sink.write, options);
      outcome = { file, boxes: result.boxes, error: result.error, damaged: result.errors.length };
    } finally {
      await source.close();
    }
    if (framed && json) {
      const { error } = outcome;
      await sink.write(
        error
          ? `, "error": ${JSON.stringify({ code: error.code, message: error.message, offset: error.offset, path: error.path })} }`
          : ' }',
      );
    }
    outcomes.push(outcome);
    if (outcome.error) onError?.(file, outcome.error, outcome.damaged);
  }
  if (framed && json) await sink.write('\n]\n');
  await sink.flush();
  return outcomes;
}
