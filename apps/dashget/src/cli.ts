#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CliOptions, readFlags, runCli, withJsonResult } from '@rec/cli';
import { expectInteger, invalidOption } from '@rec/core';
import { MpdErrorCode, parseSelection } from '@rec/mpd';
import { DashgetError, DashgetErrorCode } from './DashgetError.js';
import type { DashgetOptions } from './DashgetOptions.js';
import { dashget, resolveManifest } from './dashget.js';
import type { FailedDownload } from './download/DownloadPlanItem.js';
import { dryRunJson } from './dryRunJson.js';
import { describeTransfer, formatSummary, summaryJson } from './formatSummary.js';
import { formatLiveSummary } from './live/formatLiveSummary.js';
import { recordLive } from './live/recordLive.js';

const flags = {
  manifestUrl: null, // the positional <manifest-url>
  threads: { alias: ['t', 'max-threads'], type: 'number', default: 8, describe: 'parallel downloads' },
  output: { alias: 'o', type: 'string', default: '.', describe: 'output directory' },
  select: null, // from the words of --select (selectFlags), through parseSelection
  retries: { type: 'number', default: 5, describe: 'retries per request (backoff on 5xx, resets, timeouts)' },
  dryRun: {
    type: 'boolean',
    default: false,
    describe: 'resolve the segments, download nothing (with --json: the segment list)',
  },
  liveDuration: {
    type: 'number',
    describe: 'record a dynamic MPD for SEC seconds from its live edge, into a static MPD that plays offline',
  },
  signal: null, // runCli's, aborted by SIGINT/SIGTERM
} satisfies CliOptions<DashgetOptions>;

/** Flags of the command line only: `--select` words, read into `DashgetOptions.select` by @rec/mpd's `parseSelection`. */
const selectFlags = {
  select: {
    type: 'string',
    array: true,
    describe: 'representations to keep: id:A,B, video|audio|text, lang:en, best|worst (all by default)',
  },
} satisfies CliOptions<{ select?: string[] }>;

const schemes = ['http:', 'https:', 'file:'];

/** The manifest: an http, https or file URL, or a path to a local file. */
function manifestUrl(value: unknown): string {
  if (typeof value === 'string' && !URL.canParse(value) && existsSync(value)) {
    return pathToFileURL(resolve(value)).href;
  }
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !schemes.includes(url.protocol)) {
    throw invalidOption('manifest-url', 'an http, https or file URL, or a local file', value);
  }
  return url.href;
}

/** A bad manifest (or one that would write outside the output directory) is a bad argument: exit 2. */
const exitCodes: Record<string, number> = {
  [MpdErrorCode.InvalidManifest]: 2,
  [MpdErrorCode.Unsupported]: 2,
  [MpdErrorCode.TooLarge]: 2,
  [MpdErrorCode.UnsafeUrl]: 2,
  [MpdErrorCode.InvalidIndex]: 2,
  [DashgetErrorCode.PathCollision]: 2,
  [DashgetErrorCode.LiveUnsupported]: 2,
  [DashgetErrorCode.NothingSelected]: 2,
  [DashgetErrorCode.DownloadFailed]: 1,
};

await runCli({
  name: 'dashget',
  packageJson: new URL('../package.json', import.meta.url),
  exitCodes,
  interruptHint: 're-run to resume',
  quick: { tables: [flags, selectFlags], positional: { name: 'manifest-url', array: false, required: true } },
  configure: (cli) =>
    cli
      .usage('$0 <manifest-url> [options]\n\nDownload every segment of an MPEG-DASH manifest, resumable.')
      .command('$0 <manifest-url>', 'download the manifest, its init and media segments', (command) =>
        command.positional('manifest-url', {
          type: 'string',
          describe: 'MPD URL (http, https or file) or local file',
        }),
      )
      .example(
        '$0 https://example.com/live.mpd -t 16 -o ./live',
        'mirror a manifest with 16 parallel downloads',
      )
      .example(
        '$0 https://example.com/a.mpd --select video best --select audio',
        'the best video and every audio',
      )
      .example('$0 https://example.com/a.mpd --dry-run --json', 'the segment list as JSON')
      .epilog(
        'Exit codes: 0 done, 1 failed, 2 bad arguments or manifest, 130/143 interrupted (SIGINT/SIGTERM; a re-run resumes).',
      ),
  async run(argv, { signal, json, progress }) {
    const values = readFlags(flags, argv);
    const words = readFlags(selectFlags, argv)
      .select?.flatMap((word) => word.split(/\s+/))
      .filter(Boolean);
    const options: DashgetOptions = {
      manifestUrl: manifestUrl(argv['manifest-url']),
      threads: expectInteger('threads', values.threads, 1, 1024),
      output: values.output ?? '.',
      select: words && words.length > 0 ? parseSelection(words) : undefined,
      retries: expectInteger('retries', values.retries, 0, 100),
      dryRun: values.dryRun,
      signal,
    };
    if (values.liveDuration !== undefined && !options.dryRun) {
      const duration = values.liveDuration;
      if (!Number.isFinite(duration) || duration <= 0) {
        throw invalidOption('live-duration', 'a number of seconds above 0', duration);
      }
      const summary = await recordLive({
        manifestUrl: options.manifestUrl,
        duration,
        outputDir: options.output,
        threads: options.threads,
        retries: options.retries,
        select: options.select,
        signal,
        onProgress: (p) => progress.report({ ...p, phase: 'record' }),
      });
      progress.done();
      report(json, summary, formatLiveSummary(summary), failure(summary.failed, summary.files));
      return;
    }
    if (options.dryRun) {
      const { url, resolved } = await resolveManifest(options);
      if (json) process.stdout.write(`${JSON.stringify(dryRunJson(resolved, url), null, 2)}\n`);
      else {
        for (const period of resolved.periods) {
          for (const set of period.adaptationSets) {
            for (const r of set.representations) {
              process.stdout.write(
                `${r.representation.id} (${set.adaptationSet.contentType ?? 'unknown'}, ${r.representation.bandwidth} b/s): ${r.segments.length} segments\n`,
              );
            }
          }
        }
      }
      return;
    }
    const tty = process.stderr.isTTY === true;
    const result = await dashget({
      ...options,
      // On a terminal the bar's label carries segments, speed and ETA; plain lines keep one label (a line per 25 %).
      onProgress: (p) => progress.report({ ...p, phase: tty ? describeTransfer(p) : 'download' }),
    });
    progress.done();
    report(
      json,
      summaryJson(result),
      formatSummary(result),
      failure(result.download?.failed ?? [], result.download?.files ?? 0),
    );
  },
});

/**
 * The summary, then exit 1 naming the files that failed: in text the summary
 * (which lists them all) and the error line; under `--json` one document,
 * the summary with `ok: false` and the error.
 */
function report(json: boolean, summary: object, text: string, failed: DashgetError | undefined): void {
  if (failed && json) throw withJsonResult(failed, { ...summary });
  process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : text);
  if (failed) throw failed;
}

function failure(failed: readonly FailedDownload[], files: number): DashgetError | undefined {
  if (failed.length === 0) return undefined;
  const names = failed.slice(0, 3).map((failure) => `${failure.localPath} (${failure.reason})`);
  return new DashgetError(
    DashgetErrorCode.DownloadFailed,
    `${failed.length} of ${files} files failed: ${names.join(', ')}${failed.length > 3 ? ', ...' : ''}; re-run to retry them`,
  );
}
