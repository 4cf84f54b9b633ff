#!/usr/bin/env node
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

await yargs(hideBin(process.argv))
  .scriptName('dashget')
  .usage('$0 <manifest-url> [options]\n\nDownload every segment of an MPEG-DASH manifest, resumable.')
  .command(
    '$0 <manifest-url>',
    'download the manifest, its init and media segments',
    (command) =>
      command
        .positional('manifest-url', { type: 'string', describe: 'MPD URL (http, https or file)' })
        .option('threads', {
          alias: ['t', 'max-threads'],
          type: 'number',
          default: 8,
          describe: 'parallel downloads',
        })
        .option('output', { alias: 'o', type: 'string', default: '.', describe: 'output directory' })
        .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' }),
    () => {
      process.stderr.write('dashget: downloading is not implemented in this version yet\n');
      process.exitCode = 1;
    },
  )
  .example('$0 https://example.com/live.mpd -t 16 -o ./live', 'mirror a manifest with 16 parallel downloads')
  .version(version)
  .strict()
  .help()
  .parseAsync();
