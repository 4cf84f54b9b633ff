#!/usr/bin/env node
import { readFlags, runCli, yargsOptions } from '@rec/cli';
import type { S3SegmentsErrorCode } from '@rec/s3-segments';
import type { Argv } from 'yargs';
import { recorderCliFlags, recordFlags, resolveRecordOptions } from './config.js';
import { formatSummary, summaryJson } from './formatSummary.js';
import { batchFlags, queueFlags, submitFlags, workerFlags } from './jobs/jobFlags.js';
import { RecordingJobErrorCode } from './jobs/RecordingJobError.js';
import { ExitCode, type RecorderErrorCode } from './RecorderError.js';

/** The recorder's own exit codes, and the library codes that are bad arguments (every other error exits 1). */
const exitCodes = {
  // `--source DIR` that does not exist: the argument is wrong, not the run.
  LOCAL_ROOT_NOT_FOUND: ExitCode.BadArguments,
  // No credentials anywhere in the SDK's chain: the machine's config is wrong, not the run
  // (the AWS CLI also exits with its configuration code there).
  S3_NO_CREDENTIALS: ExitCode.BadArguments,
  BAD_ARGUMENTS: ExitCode.BadArguments,
  BAD_CONFIG: ExitCode.BadArguments,
  NOTHING_IN_WINDOW: ExitCode.NothingInWindow,
  RECORDER_TEMP_DIR: ExitCode.Failure,
  RECORDER_OUTPUT: ExitCode.Failure,
  RECORDER_IO: ExitCode.Failure,
  RECORDER_DISK_FULL: ExitCode.Failure,
  RECORDER_SPARSE_WINDOW: ExitCode.Failure,
  [RecordingJobErrorCode.BadRequest]: ExitCode.BadArguments,
} satisfies Record<RecorderErrorCode, ExitCode> &
  Partial<Record<S3SegmentsErrorCode | RecordingJobErrorCode, ExitCode>>;

/** The flags of one recording, as the default command and `submit` take them. */
const recordingOptions = (command: Argv) =>
  command.options(yargsOptions(recordFlags)).options(yargsOptions(recorderCliFlags));

/**
 * The job commands, by name: each has its own flags. Their module (BullMQ, ioredis) and the
 * recording's (the AWS SDK, the media packages) load when a command needs them, not at start-up:
 * `--help`, `--version` and bad arguments answer without them, and a recording never loads BullMQ
 * (about 0.25 s of CPU; see the CHANGELOG).
 */
const jobCommandNames = ['submit', 'worker', 'jobs', 'status', 'batch'] as const;
const isJobCommand = (name: unknown): name is (typeof jobCommandNames)[number] =>
  jobCommandNames.some((command) => command === name);
const jobCommands = async () => {
  const module = await import('./jobs/jobCommands.js');
  return {
    submit: module.submitCommand,
    worker: module.workerCommand,
    jobs: module.jobsCommand,
    status: module.statusCommand,
    batch: module.batchCommand,
  };
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

await runCli({
  name: 'recorder',
  packageJson: new URL('../package.json', import.meta.url),
  exitCodes,
  interruptHint: 're-run to resume',
  // A worker drains on the first signal; the second puts its running jobs back in the queue.
  secondSignal: (argv) => (argv._[0] === 'worker' ? 'abort' : 'exit'),
  configure: (cli) =>
    cli
      .usage(
        [
          '$0 (--bucket B --prefix P | --source DIR) --start S --end E -o OUT [options]',
          '$0 CONFIG.json OUT',
          '$0 --config CONFIG.json -o OUT',
          '$0 submit <recording options> --redis URL [--wait]',
          '$0 worker --redis URL [--concurrency N]',
          '$0 jobs|status ID --redis URL',
          '$0 batch --jobs FILE.jsonl [--index N]',
          '',
          'Rebuild one recording of [start, end) from the camera segments in S3',
          '(<prefix>/00/video/<epoch>.h264 or .h265, <prefix>/00/audio/<epoch>.wav or .aac) or in a local directory.',
          'Times are Unix seconds, milliseconds or ISO-8601 with a zone. OUT is a path or s3://bucket/key.',
        ].join('\n'),
      )
      .command('$0 [configFile] [out]', false, (command) =>
        recordingOptions(command)
          .positional('configFile', { type: 'string', describe: 'legacy config file (JSON)' })
          .positional('out', { type: 'string', describe: 'output path' }),
      )
      .command('submit', 'queue one recording on Redis (BullMQ); --wait for its outcome', (command) =>
        recordingOptions(command).options(yargsOptions(queueFlags)).options(yargsOptions(submitFlags)),
      )
      .command(
        'worker',
        'run queued recordings until SIGTERM (the first drains, a second requeues)',
        (command) =>
          command.options(yargsOptions({ redis: queueFlags.redis })).options(yargsOptions(workerFlags)),
      )
      .command('jobs', "count the queue's jobs per state; failed jobs with their error codes", (command) =>
        command.options(yargsOptions(queueFlags)),
      )
      .command('status <id>', 'one job: state, progress, error or summary', (command) =>
        command.positional('id', { type: 'string', describe: 'job id' }).options(yargsOptions(queueFlags)),
      )
      .command(
        'batch',
        'run one line of a job file (AWS Batch array jobs, Kubernetes Indexed Jobs)',
        (command) => command.options(yargsOptions(batchFlags)),
      )
      .example(
        '$0 --bucket cams --prefix recordings/cam01 --start 2023-11-14T22:15:00Z --end 2023-11-14T22:20:00Z -o out.mp4',
        'five minutes as MP4',
      )
      .example(
        '$0 --source ./segments --prefix cam01 --start 1700000150 --end 1700000450 -o out.ts',
        'from a local copy, as TS',
      )
      .example('$0 config.json output.ts', "the legacy tool's invocation")
      .example(
        '$0 submit --bucket cams --prefix cam01 --start S --end E -o s3://out/a.mp4 --redis redis://queue:6379',
        'queue it',
      )
      .example('$0 worker --redis redis://queue:6379 --concurrency 2', 'run queued recordings')
      .example('$0 batch --jobs jobs.jsonl', 'line $AWS_BATCH_JOB_ARRAY_INDEX of the file')
      .epilog(
        'Exit codes: 0 done, 1 failed, 2 bad arguments or config, 3 no segment in the window, 130/143 interrupted (SIGINT/SIGTERM; a re-run resumes).',
      ),
  async run(argv, context) {
    const command = argv._[0];
    if (isJobCommand(command)) return (await jobCommands())[command](argv, context);
    const { signal, json, progress } = context;
    const flags = { ...readFlags(recordFlags, argv), ...readFlags(recorderCliFlags, argv) };
    const options = await resolveRecordOptions({
      ...flags,
      // The legacy invocation: `recorder CONFIG.json OUT`.
      config: flags.config ?? text(argv.configFile),
      output: flags.output ?? text(argv.out),
    });
    const { record } = await import('./record.js');
    const summary = await record({ ...options, signal, onProgress: progress.report });
    progress.done();
    process.stdout.write(
      json ? `${JSON.stringify(summaryJson(summary), null, 2)}\n` : formatSummary(summary),
    );
  },
});
