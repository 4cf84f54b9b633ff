#!/usr/bin/env node
import {
  CliError,
  CliErrorCode,
  type CliOptions,
  describeFailure,
  readFlags,
  runCli,
  yargsOptions,
} from '@rec/cli';
import { expectInteger } from '@rec/core';
import type { DumpOptions } from './dump/index.js';
import { checkInputFiles } from './files/checkInputFiles.js';
import { dumpFiles } from './files/dumpFiles.js';
import { Mp4DumpError, type Mp4DumpErrorCode } from './Mp4DumpError.js';
import type { Mp4DumpOptions } from './Mp4DumpOptions.js';
import { createTextSink } from './output/TextSink.js';

const DUMP = 'Dump options:';
const DASH = 'DASH mode (no FILE):';

const flags = {
  files: null, // the positional [files..]
  verbosity: {
    type: 'number',
    parse: (raw) => expectInteger('verbosity', raw, 0, 3) as DumpOptions['verbosity'],
    group: DUMP,
    describe: "Bento4's levels: 0 no tables, 1 short tables, 2 and 3 every table (default 0; 3 in DASH mode)",
  },
  format: {
    choices: ['text', 'json'],
    default: 'text',
    group: DUMP,
    describe: "dump layout: Bento4's text or JSON",
  },
  bento4: {
    type: 'boolean',
    default: false,
    group: DUMP,
    describe: 'exactly the fields Bento4 1.6 prints (default: every field decoded, same layout)',
  },
  offsets: {
    type: 'boolean',
    default: false,
    group: DUMP,
    describe: "each box's absolute offset, decimal and hex",
  },
  path: {
    type: 'string',
    group: DUMP,
    describe: 'only the boxes at this path, with their children (moov/trak/tkhd)',
  },
  dir: {
    alias: 'd',
    type: 'string',
    describe: 'a directory holding one .mpd, or the .mpd itself (default: .)',
    group: DASH,
  },
  reps: {
    flag: 'rep',
    alias: 'r',
    type: 'string',
    array: true,
    describe: 'Representation ids to dump (default all)',
    group: DASH,
  },
  concat: {
    type: 'boolean',
    default: false,
    describe: 'also write each representation as one fMP4, <dir>/<rep_id>.mp4',
    group: DASH,
  },
  signal: null, // runCli's, aborted by SIGINT/SIGTERM
} satisfies CliOptions<Mp4DumpOptions>;

/** mp4dump's own exit codes (every other error exits 1). */
const exitCodes = {
  MP4DUMP_NO_MANIFEST: 2,
  MP4DUMP_SEVERAL_MANIFESTS: 2,
  MP4DUMP_UNKNOWN_REPRESENTATION: 2,
  MP4DUMP_MISSING_SEGMENT: 1,
  MP4DUMP_REPRESENTATION_FAILED: 1,
  MP4DUMP_IO: 1,
} satisfies Record<Mp4DumpErrorCode, number>;

await runCli({
  name: 'mp4dump',
  packageJson: new URL('../package.json', import.meta.url),
  exitCodes,
  configure: (cli) =>
    cli
      .usage(
        [
          '$0 FILE... [dump options]',
          '$0 [-d DIR|DIR/x.mpd] [-r REP...] [--concat] [dump options] [--json]',
          '',
          "Dump the box structure of MP4 files in Bento4's mp4dump layout (text or JSON).",
          'With no file: DASH mode, each fMP4 representation of the directory into <dir>/<rep_id>.dump.',
        ].join('\n'),
      )
      .command('$0 [files..]', false, (command) =>
        command.positional('files', { type: 'string', array: true, describe: 'MP4 / fMP4 files' }),
      )
      .options(yargsOptions(flags))
      .example('$0 movie.mp4', 'box tree, every field decoded')
      .example('$0 --bento4 --format json movie.mp4', "what Bento4's mp4dump --format json prints")
      .example(
        '$0 --verbosity 2 --offsets --path moov/trak/mdia/minf/stbl/stsz movie.mp4',
        'one table, with offsets',
      )
      .example('$0 -d ./dash -r video_1 --concat', 'one representation of a DASH download: .dump and .mp4')
      .epilog(
        'Exit codes: 0 done, 1 a damaged file (dumped as far as it is valid) or a failed representation, ' +
          '2 bad arguments, 130/143 interrupted (SIGINT/SIGTERM).',
      ),
  async run(argv, { signal, json, progress }) {
    const values = readFlags(flags, argv);
    const files = Array.isArray(argv.files) ? argv.files.map(String) : [];
    const dump: Omit<DumpOptions, 'verbosity'> = {
      format: values.format ?? 'text',
      bento4: values.bento4 ?? false,
      offsets: values.offsets ?? false,
      path: values.path,
    };
    if (files.length > 0) {
      const dashOnly = [
        values.dir === undefined ? undefined : '-d',
        values.reps === undefined ? undefined : '-r',
        values.concat ? '--concat' : undefined,
      ].filter(Boolean);
      if (dashOnly.length > 0) {
        throw new CliError(
          CliErrorCode.BadArguments,
          `${dashOnly.join(', ')} ${dashOnly.length === 1 ? 'is' : 'are'} for DASH mode, without files (got ${files.join(', ')})`,
        );
      }
      await checkInputFiles(files);
      const sink = createTextSink(process.stdout);
      let outcomes: Awaited<ReturnType<typeof dumpFiles>>;
      try {
        outcomes = await dumpFiles(
          files,
          sink,
          { ...dump, verbosity: values.verbosity ?? 0, signal: AbortSignal.any([signal, sink.closed]) },
          // With several files each damaged one is named as it is found, between the dumps.
          files.length > 1
            ? (file, error) =>
                process.stderr.write(
                  `${describeFailure(new Mp4DumpError(error.code, `${file}: ${error.message}`), { app: 'mp4dump' }).line}\n`,
                )
            : undefined,
        );
      } catch (error) {
        // The reader went away (`mp4dump big.mp4 | head`): nothing more to say.
        if (sink.closed.aborted && !signal.aborted) return;
        throw error;
      }
      const damaged = outcomes.filter((outcome) => outcome.error !== undefined);
      const [first] = damaged;
      if (first?.error) {
        throw files.length === 1
          ? new Mp4DumpError(first.error.code, `${first.file}: ${first.error.message}`, {
              file: first.file,
              cause: first.error,
            })
          : new Mp4DumpError(
              first.error.code,
              `${damaged.length} of ${files.length} files ${damaged.length === 1 ? 'is' : 'are'} damaged: ${damaged.map(({ file }) => file).join(', ')}`,
              { file: first.file, cause: first.error },
            );
      }
      return;
    }

    // Loaded for DASH mode only: @rec/mpd brings fast-xml-parser and zod, whose loading
    // alone would double the start-up of `mp4dump FILE` (measured by bench/mp4dump.ts).
    const [{ dumpDash, failureOf }, { formatSummary, summaryJson }] = await Promise.all([
      import('./dash/dumpDash.js'),
      import('./dash/formatSummary.js'),
    ]);
    const summary = await dumpDash({
      target: values.dir ?? '.',
      reps: values.reps,
      dump: { ...dump, verbosity: values.verbosity ?? 3 },
      concat: values.concat ?? false,
      signal,
      onProgress: (step) => progress.report({ ...step, phase: 'dump' }),
    });
    progress.done();
    const failure = failureOf(summary);
    // Through a sink: a reader gone (`| true`) is an EPIPE event, not a crash.
    const out = createTextSink(process.stdout);
    await out.write(
      json ? `${JSON.stringify(summaryJson(summary, failure === undefined))}\n` : formatSummary(summary),
    );
    await out.flush();
    if (failure) throw failure;
  },
});
