import type { ProgressReporter } from '@rec/cli';
import { createTextSink } from '../output/TextSink.js';
import { type DashDumpOptions, dumpDash, failureOf } from './dumpDash.js';
import { formatSummary, summaryJson } from './formatSummary.js';

/**
 * DASH mode as the CLI runs it: dumps, prints the summary (the table, or
 * one line of JSON under `--json`), then throws the run's error if a
 * representation failed or is damaged.
 */
export async function runDash(
  options: Omit<DashDumpOptions, 'onProgress'>,
  context: { json: boolean; progress: ProgressReporter },
): Promise<void> {
  const summary = await dumpDash({
    ...options,
    onProgress: (step) => context.progress.report({ ...step, phase: 'dump' }),
  });
  context.progress.done();
  const failure = failureOf(summary);
  // Through a sink: a reader gone (`| true`) is an EPIPE event, not a crash.
  const out = createTextSink(process.stdout);
  await out.write(
    context.json
      ? `${JSON.stringify(summaryJson(summary, failure === undefined))}\n`
      : formatSummary(summary),
  );
  await out.flush();
  if (failure) throw failure;
}
