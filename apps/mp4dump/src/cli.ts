#!/usr/bin/env node
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

await yargs(hideBin(process.argv))
  .scriptName('mp4dump')
  .usage('$0 [files..] [options]\n\nDump the box structure of MP4 files and DASH fMP4 representations.')
  .command(
    '$0 [files..]',
    'dump each file, or the representations of a DASH directory with -d',
    (command) =>
      command
        .positional('files', { type: 'string', array: true, describe: 'MP4 / fMP4 files' })
        .option('dir', { alias: 'd', type: 'string', describe: 'DASH directory holding an MPD' })
        .option('rep', { alias: 'r', type: 'string', array: true, describe: 'representation ids to dump' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
        .option('concat', {
          type: 'boolean',
          default: false,
          describe: 'write each representation as one fMP4',
        }),
    () => {
      process.stderr.write('mp4dump: dumping is not implemented in this version yet\n');
      process.exitCode = 1;
    },
  )
  .example('$0 movie.mp4', 'box tree with every field')
  .example('$0 -d ./dash -r video_1', 'dump one representation of a DASH download')
  .version(version)
  .strict()
  .help()
  .parseAsync();
