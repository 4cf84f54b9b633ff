#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { CliError, CliErrorCode, type CliOptions, readFlags, runCli } from '@rec/cli';
import { expectInteger } from '@rec/core';
import { openFileSource } from '@rec/core/node';
import { readBoxes } from '@rec/fmp4-boxes';
import type { DumpOptions } from './dump/index.js';
import { runFiles } from './files/runFiles.js';
import type { Mp4DumpErrorCode } from './Mp4DumpError.js';
import type { Mp4DumpOptions } from './Mp4DumpOptions.js';

/**
 * No TurboFan (V8's top tier; Maglev, the tier below it, stays on where Node has it on: 22 and up)
 * for a short dump: callgrind put a large part of its instructions in TurboFan's compiles. On the
 * bench's 60 MB file (Node 20, 2 cores): 220-270 ms CPU instead of 310-470, 56 MB RSS instead of 67;
 * on Node 22: 61 MB instead of 72 at the same CPU. A long dump (a 2-million-line table) runs 6 %
 * (Node 22) to 30 % (Node 20) slower without it, so inputs with more than 256 MiB outside their
 * mdat payloads keep it. What a dump prints grows with those bytes, not with the mdat: the bench's
 * 3 GiB file (a 3 GiB mdat, 60 MB of fragments) judged by its size got TurboFan and 71.6 MB of RSS.
 * The cap is read when a function gets hot: setting it before the dump starts is in time.
 */
async function skipTopTierForShortDumps(files: readonly string[]): Promise<void> {
  let total = 0;
  for (const file of files) total += await bytesOutsideMdat(file);
  if (total <= 256 * 1024 * 1024) setFlagsFromString('--max-opt=2');
}

/**
 * The size of `file` less the mdat payloads among its first 16 top-level
 * boxes, by their headers alone (no decoder, nothing below the top level):
 * an estimate; 0 for a file that cannot be opened (the dump says why). A
 * box that cannot be read ends the estimate where it is.
 */
async function bytesOutsideMdat(file: string): Promise<number> {
  const source = await openFileSource(file, { blocking: true }).catch(() => undefined);
  if (!source) return 0;
  let outside = await source.size();
  try {
    let boxes = 0;
    for await (const box of readBoxes(source, { maxDepth: 0, decoders: [] })) {
      if (box.type === 'mdat') outside -= box.size;
      if (++boxes === 16) break;
    }
  } catch {
    // what was read so far is the estimate
  } finally {
    await source.close();
  }
  return outside;
}

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
  quick: { tables: [flags], positional: { name: 'files', array: true, required: false } },
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
      await skipTopTierForShortDumps(files);
      await runFiles(files, { ...dump, verbosity: values.verbosity ?? 0 }, signal);
      return;
    }
    // Loaded for DASH mode only: `mp4dump FILE` needs neither @rec/mpd nor the zod and
    // fast-xml-parser it brings (about 1 MB of JavaScript to load).
    const { runDash } = await import('./dash/runDash.js');
    await runDash(
      {
        target: values.dir ?? '.',
        reps: values.reps,
        dump: { ...dump, verbosity: values.verbosity ?? 3 },
        concat: values.concat ?? false,
        signal,
      },
      { json, progress },
    );
  },
});
