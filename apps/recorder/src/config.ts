import { readFile } from 'node:fs/promises';
import type { CliOptions, FlagValues } from '@rec/cli';
import { expectInteger, expectNumber } from '@rec/core';
import { z } from 'zod';
import { inferFormat } from './inferFormat.js';
import { parseInstant } from './parseInstant.js';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';
import { OutputFormat, type RecordOptions, type RecordSource } from './RecordOptions.js';

/**
 * The legacy tool's config file, unchanged:
 * `{"start_utc": 1609459200, "end_utc": 1609459300, "s3_prefix": "path/to/prefix",
 *   "aws_conf": {"aws_region": "us-east-1", "s3_bucket": "my-bucket"}}`.
 * Unknown fields are ignored, as the legacy tool did.
 */
export const legacyConfigSchema = z.object({
  start_utc: z.union([z.number(), z.string()]),
  end_utc: z.union([z.number(), z.string()]),
  s3_prefix: z.string().min(1),
  aws_conf: z.object({
    aws_region: z.string().min(1),
    s3_bucket: z.string().min(1),
    endpoint_url: z.string().url().optional(),
  }),
});
export type LegacyConfig = z.infer<typeof legacyConfigSchema>;

/** Flags of the command line that are no `RecordOptions` field. */
export interface RecorderCliOptions {
  /** The legacy config file (also the first positional argument). */
  config?: string;
  /** `--no-video` and `--no-audio` make `kinds`. */
  video?: boolean;
  audio?: boolean;
}

/**
 * The recorder's flags, one entry per `RecordOptions` field (see
 * `CliOptions`): `--help` is made from it and `readFlags` reads it back,
 * so a flag cannot drift from the option it sets.
 */
export const recordFlags = {
  source: {
    flags: {
      type: null, // which of --bucket and --source is given
      bucket: { type: 'string', describe: 'S3 bucket', group: 'Source:' },
      prefix: {
        type: 'string',
        describe: 'key prefix of one camera, e.g. recordings/cam01',
        group: 'Source:',
      },
      root: {
        flag: 'source',
        type: 'string',
        describe: 'local directory (or file://URL) with the same layout',
        group: 'Source:',
      },
      endpoint: { type: 'string', describe: 'S3-compatible endpoint URL', group: 'Source:' },
      region: {
        type: 'string',
        describe: "AWS region (default: AWS_REGION, the AWS_PROFILE's region, else us-east-1)",
        group: 'Source:',
      },
      forcePathStyle: { type: 'boolean', describe: 'path-style S3 addressing', group: 'Source:' },
      client: null, // a library caller's own S3 client
      credentials: null, // the SDK's chain (env, profile, SSO, instance role); never on a command line
    },
  },
  start: {
    type: 'string',
    describe: 'window start',
    group: 'Window:',
    parse: (text) => instant('start', text),
  },
  end: {
    type: 'string',
    describe: 'window end (exclusive)',
    group: 'Window:',
    parse: (text) => instant('end', text),
  },
  pad: { type: 'number', describe: 'extra seconds kept on both sides (legacy: 60)', group: 'Window:' },
  noTrim: {
    flag: 'trim',
    type: 'boolean',
    default: true,
    describe: 'cut to exactly [start, end); --no-trim keeps whole segments',
    group: 'Window:',
    parse: (trim) => !trim,
  },
  maxHoleFraction: {
    type: 'number',
    describe:
      'refuse a window whose holes exceed this fraction of it, 0-1 (checked before the audio is encoded); more than half empty always warns',
    group: 'Window:',
  },
  strict: {
    type: 'boolean',
    describe:
      'fail on a damaged segment or an audio gap instead of skipping it (silence for audio) and listing it in the summary',
    group: 'Window:',
  },
  output: { alias: 'o', type: 'string', describe: 'output path or s3://bucket/key', group: 'Output:' },
  format: {
    choices: [OutputFormat.Mp4, OutputFormat.Ts],
    describe: 'output format (default: from the extension, else mp4)',
    group: 'Output:',
  },
  kinds: null, // --video and --audio (RecorderCliOptions)
  layout: null, // the legacy layout; not on the command line yet
  concurrency: { type: 'number', describe: 'parallel downloads (default 16)' },
  tempDir: {
    type: 'string',
    describe:
      'directory in which the recorder makes its own job directory (rec-recorder-<job>/); nothing else in it is touched',
  },
  keepTemp: { type: 'boolean', describe: 'keep the job directory after success' },
  resume: {
    type: 'boolean',
    default: true,
    describe:
      "reuse verified downloads of an interrupted run (--no-resume empties this job's directory first)",
  },
  verify: {
    type: 'boolean',
    describe: 'read the MP4 back with ffprobe before it goes in place; the summary gives what ffprobe reads',
    group: 'Output:',
  },
  ffmpegPath: {
    flag: 'ffmpeg',
    type: 'string',
    describe: 'ffmpeg binary (else FFMPEG_PATH, PATH, or the one from npm)',
  },
  signal: null, // runCli's, aborted by SIGINT/SIGTERM
} satisfies CliOptions<RecordOptions>;

/** The flags of `RecorderCliOptions`. */
export const recorderCliFlags = {
  config: { type: 'string', describe: 'legacy config file (JSON)', group: 'Source:' },
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
} satisfies CliOptions<RecorderCliOptions>;

/** The CLI's options as `readFlags` gives them (times already parsed), before validation. */
export type CliArguments = FlagValues<typeof recordFlags> & FlagValues<typeof recorderCliFlags>;

const fieldPath = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

/** Reads and validates a legacy config file; one clear line per bad field. */
export async function readLegacyConfig(file: string): Promise<LegacyConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecorderError(
      RecorderErrorCode.BadConfig,
      `Cannot read config ${file}: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RecorderError(
      RecorderErrorCode.BadConfig,
      `Config ${file} is not JSON: ${(error as Error).message}`,
    );
  }
  const parsed = legacyConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
    throw new RecorderError(RecorderErrorCode.BadConfig, `Config ${file} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** An instant of the command line or the config file, in Unix seconds. */
export function instant(name: string, value: string | number | undefined): number {
  if (value === undefined || value === '') {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Missing \`${name}\` (Unix seconds, ms or ISO-8601)`,
    );
  }
  try {
    return parseInstant(value);
  } catch (error) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Invalid \`${name}\`: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Where the segments are: `--source DIR`, or `--bucket`/`--prefix` (from the flags, else the config file). */
function sourceOf(args: CliArguments, config: LegacyConfig | undefined): RecordSource {
  const { bucket = config?.aws_conf.s3_bucket, prefix = config?.s3_prefix, root } = args.source;
  if (root) {
    if (args.source.bucket) {
      throw new RecorderError(
        RecorderErrorCode.BadArguments,
        'Give either `--source DIR` or `--bucket`, not both',
      );
    }
    return { type: 'local', root, prefix };
  }
  if (!bucket || !prefix) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      'Missing segment source: give `--bucket B --prefix P`, `--source DIR`, or a config file',
    );
  }
  return {
    type: 's3',
    bucket,
    prefix: prefix.replace(/^\/+|\/+$/g, ''),
    // Unset: the SDK's region chain (AWS_REGION, the profile's region), as the AWS CLI signs.
    region: args.source.region ?? config?.aws_conf.aws_region,
    endpoint: args.source.endpoint ?? config?.aws_conf.endpoint_url,
    forcePathStyle: args.source.forcePathStyle,
  };
}

/**
 * Turns CLI arguments (and the legacy config file they may name) into
 * `RecordOptions`. Command-line flags win over the config file.
 */
export async function resolveRecordOptions(args: CliArguments): Promise<RecordOptions> {
  const config = args.config ? await readLegacyConfig(args.config) : undefined;
  const { output } = args;
  if (!output) throw new RecorderError(RecorderErrorCode.BadArguments, 'Missing output (`-o OUT`)');
  const source = sourceOf(args, config);
  if (output.startsWith('s3://') && source.type !== 's3') {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      'An s3:// output needs an S3 source (`--bucket`)',
    );
  }
  const start = args.start ?? instant('start', config?.start_utc);
  const end = args.end ?? instant('end', config?.end_utc);
  if (!(end > start)) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Expected \`end\` after \`start\`, got start=${start} end=${end}`,
    );
  }
  const kinds = (['video', 'audio'] as const).filter((kind) => args[kind] !== false);
  if (kinds.length === 0) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      '`--no-video` and `--no-audio` leave nothing to record',
    );
  }
  return {
    source,
    kinds,
    start,
    end,
    output,
    format: args.format ?? inferFormat(output),
    concurrency: args.concurrency === undefined ? 16 : expectInteger('concurrency', args.concurrency, 1),
    pad: args.pad === undefined ? 0 : expectNumber('pad', args.pad, 0),
    maxHoleFraction:
      args.maxHoleFraction === undefined
        ? undefined
        : expectNumber('maxHoleFraction', args.maxHoleFraction, 0, 1),
    noTrim: args.noTrim ?? false,
    keepTemp: args.keepTemp ?? false,
    resume: args.resume ?? true,
    tempDir: args.tempDir || undefined,
    ffmpegPath: args.ffmpegPath || undefined,
    verify: args.verify ?? false,
  };
}
