#!/usr/bin/env node
import { createRequire } from 'node:module';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { type CliArguments, resolveRecordOptions } from './config.js';
import { formatSummary, summaryJson } from './formatSummary.js';
import { createProgressReporter } from './progressReporter.js';
import { ExitCode } from './RecorderError.js';
import { record } from './record.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const argv = await yargs(hideBin(process.argv))
  .scriptName('recorder')
  .usage(
    [
      '$0 (--bucket B --prefix P | --source DIR) --start S --end E -o OUT [options]',
      '$0 CONFIG.json OUT',
      '$0 --config CONFIG.json -o OUT',
      '',
      'Rebuild one recording of [start, end) from the camera segments in S3',
      '(<prefix>/00/video/<epoch>.h264 or .h265, <prefix>/00/audio/<epoch>.wav or .aac) or in a local directory.',
      'Times are Unix seconds, milliseconds or ISO-8601 with a zone. OUT is a path or s3://bucket/key.',
    ].join('\n'),
  )
  .command('$0 [configFile] [out]', false)
  .positional('configFile', { type: 'string', describe: 'legacy config file (JSON)' })
  .positional('out', { type: 'string', describe: 'output path' })
  .options({
    bucket: { type: 'string', describe: 'S3 bucket', group: 'Source:' },
    prefix: { type: 'string', describe: 'key prefix of one camera, e.g. recordings/cam01', group: 'Source:' },
    source: {
      type: 'string',
      describe: 'local directory (or file://URL) with the same layout',
      group: 'Source:',
    },
    endpoint: { type: 'string', describe: 'S3-compatible endpoint URL', group: 'Source:' },
    region: { type: 'string', describe: 'AWS region (default AWS_REGION or us-east-1)', group: 'Source:' },
    'force-path-style': { type: 'boolean', describe: 'path-style S3 addressing', group: 'Source:' },
    config: { type: 'string', describe: 'legacy config file (JSON)', group: 'Source:' },
    start: { type: 'string', describe: 'window start', group: 'Window:' },
    end: { type: 'string', describe: 'window end (exclusive)', group: 'Window:' },
    pad: { type: 'number', describe: 'extra seconds kept on both sides (legacy: 60)', group: 'Window:' },
    trim: {
      type: 'boolean',
      default: true,
      describe: 'cut to exactly [start, end); --no-trim keeps whole segments',
      group: 'Window:',
    },
    output: { alias: 'o', type: 'string', describe: 'output path or s3://bucket/key', group: 'Output:' },
    video: {
      type: 'boolean',
      default: true,
      describe: 'record video (--no-video: audio only)',
      group: 'Output:',
    },
    audio: {
      type: 'boolean',
      default: true,
      describe: 'record audio (--no-audio: video only)',
      group: 'Output:',
    },
    format: {
      choices: ['mp4', 'ts'] as const,
      describe: 'output format (default: from the extension, else mp4)',
      group: 'Output:',
    },
    concurrency: { type: 'number', describe: 'parallel downloads (default 16)' },
    'temp-dir': { type: 'string', describe: 'where downloads and intermediate files go' },
    'keep-temp': { type: 'boolean', describe: 'keep the temp dir after success' },
    resume: {
      type: 'boolean',
      default: true,
      describe: 'reuse verified downloads of an interrupted run (--no-resume starts over)',
    },
    ffmpeg: { type: 'string', describe: 'ffmpeg binary (else FFMPEG_PATH, PATH, or the one from npm)' },
    json: { type: 'boolean', describe: 'print a JSON summary on stdout' },
    debug: { type: 'boolean', describe: 'print stacks on errors' },
  })
  .example(
    '$0 --bucket cams --prefix recordings/cam01 --start 2023-11-14T22:15:00Z --end 2023-11-14T22:20:00Z -o out.mp4',
    'five minutes as MP4',
  )
  .example(
    '$0 --source ./segments --prefix cam01 --start 1700000150 --end 1700000450 -o out.ts',
    'from a local copy, as TS',
  )
  .example('$0 config.json output.ts', "the legacy tool's invocation")
  .version(version)
  .strict()
  .help()
  .fail((message, error) => {
    if (error) throw error;
    process.stderr.write(`recorder: ${message}\nRun recorder --help for usage.\n`);
    process.exit(ExitCode.BadArguments);
  })
  .parseAsync();

const cli: CliArguments = {
  config: argv.config ?? argv.configFile,
  output: argv.output ?? argv.out,
  bucket: argv.bucket,
  prefix: argv.prefix,
  source: argv.source,
  start: argv.start,
  end: argv.end,
  format: argv.format,
  endpoint: argv.endpoint,
  region: argv.region,
  forcePathStyle: argv['force-path-style'],
  concurrency: argv.concurrency,
  pad: argv.pad,
  trim: argv.trim,
  tempDir: argv['temp-dir'],
  keepTemp: argv['keep-temp'],
  resume: argv.resume,
  ffmpeg: argv.ffmpeg,
  video: argv.video !== false,
  audio: argv.audio !== false,
};

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('Interrupted (SIGINT); re-run to resume')));
process.once('SIGTERM', () => controller.abort(new Error('Terminated (SIGTERM); re-run to resume')));

const progress = createProgressReporter(process.stderr, !argv.json);
try {
  const options = await resolveRecordOptions(cli);
  const summary = await record({ ...options, signal: controller.signal, onProgress: progress.report });
  progress.done();
  if (argv.json) process.stdout.write(`${JSON.stringify(summaryJson(summary), null, 2)}\n`);
  else process.stdout.write(formatSummary(summary));
  process.exitCode = ExitCode.Ok;
} catch (error) {
  progress.done();
  const exitCode =
    typeof error === 'object' && error !== null && 'exitCode' in error && typeof error.exitCode === 'number'
      ? error.exitCode
      : ExitCode.Failure;
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? ` [${String(error.code)}]` : '';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`recorder: ${message}${code}\n`);
  if (argv.debug && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  if (argv.json)
    process.stdout.write(
      `${JSON.stringify({ ok: false, error: { message, code: code.slice(2, -1) || undefined } })}\n`,
    );
  process.exitCode = exitCode;
}
