#!/usr/bin/env node
import { CliError, CliErrorCode, type CliOptions, readFlags, runCli, yargsOptions } from '@rec/cli';
import type { Mp4DumpOptions } from './Mp4DumpOptions.js';

const flags = {
  files: null, // the positional [files..]
  dir: { alias: 'd', type: 'string', describe: 'DASH directory holding an MPD' },
  reps: { flag: 'rep', alias: 'r', type: 'string', array: true, describe: 'representation ids to dump' },
  format: { choices: ['text', 'json'], default: 'text', describe: 'dump format' },
  concat: { type: 'boolean', default: false, describe: 'write each representation as one fMP4' },
  signal: null, // runCli's, aborted by SIGINT/SIGTERM
} satisfies CliOptions<Mp4DumpOptions>;

await runCli({
  name: 'mp4dump',
  packageJson: new URL('../package.json', import.meta.url),
  configure: (cli) =>
    cli
      .usage('$0 [files..] [options]\n\nDump the box structure of MP4 files and DASH fMP4 representations.')
      .command(
        '$0 [files..]',
        'dump each file, or the representations of a DASH directory with -d',
        (command) =>
          command.positional('files', { type: 'string', array: true, describe: 'MP4 / fMP4 files' }),
      )
      .options(yargsOptions(flags))
      .example('$0 movie.mp4', 'box tree with every field')
      .example('$0 -d ./dash -r video_1', 'dump one representation of a DASH download')
      .epilog('Exit codes: 0 done, 1 failed, 2 bad arguments, 130/143 interrupted (SIGINT/SIGTERM).'),
  run(argv) {
    const values = readFlags(flags, argv);
    const options: Omit<Mp4DumpOptions, 'signal'> = {
      files: Array.isArray(argv.files) ? argv.files.map(String) : [],
      dir: values.dir,
      reps: values.reps,
      format: values.format ?? 'text',
      concat: values.concat ?? false,
    };
    throw new CliError(
      CliErrorCode.NotImplemented,
      `dumping is not implemented in this version yet (${options.dir ?? (options.files.join(', ') || 'no input')})`,
    );
  },
});
