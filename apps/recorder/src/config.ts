import { readFile } from 'node:fs/promises';
import { parseInstant } from '@rec/s3-segments';
import { z } from 'zod';
import { RecorderError, RecorderErrorCode } from './RecorderError.js';
import { OutputFormat, type RecordOptions } from './RecordOptions.js';

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

/** The CLI's options after yargs, before validation. */
export interface CliArguments {
  config?: string | undefined;
  bucket?: string | undefined;
  prefix?: string | undefined;
  source?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  output?: string | undefined;
  format?: string | undefined;
  endpoint?: string | undefined;
  region?: string | undefined;
  forcePathStyle?: boolean | undefined;
  concurrency?: number | undefined;
  pad?: number | undefined;
  trim?: boolean | undefined;
  tempDir?: string | undefined;
  keepTemp?: boolean | undefined;
  resume?: boolean | undefined;
  ffmpeg?: string | undefined;
  video?: boolean | undefined;
  audio?: boolean | undefined;
}

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

function instant(name: string, value: string | number | undefined): number {
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
    );
  }
}

function formatOf(output: string, format: string | undefined): OutputFormat {
  if (format !== undefined) {
    if (format === OutputFormat.Mp4 || format === OutputFormat.Ts) return format;
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Expected \`format\` mp4 or ts, got \`${format}\``,
    );
  }
  return /\.(ts|m2ts|mts)$/i.test(output) ? OutputFormat.Ts : OutputFormat.Mp4;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Expected \`${name}\` to be an integer from 1 and up, got \`${value}\``,
    );
  }
  return value;
}

/**
 * Turns CLI arguments (and the legacy config file they may name) into
 * `RecordOptions`. Command-line flags win over the config file.
 */
export async function resolveRecordOptions(args: CliArguments): Promise<RecordOptions> {
  const config = args.config ? await readLegacyConfig(args.config) : undefined;
  const output = args.output;
  if (!output) throw new RecorderError(RecorderErrorCode.BadArguments, 'Missing output (`-o OUT`)');

  const bucket = args.bucket ?? config?.aws_conf.s3_bucket;
  const prefix = args.prefix ?? config?.s3_prefix;
  let source: RecordOptions['source'];
  if (args.source) {
    if (args.bucket) {
      throw new RecorderError(
        RecorderErrorCode.BadArguments,
        'Give either `--source DIR` or `--bucket`, not both',
      );
    }
    source = { type: 'local', root: args.source, ...(prefix === undefined ? {} : { prefix }) };
  } else {
    if (!bucket || !prefix) {
      throw new RecorderError(
        RecorderErrorCode.BadArguments,
        'Missing segment source: give `--bucket B --prefix P`, `--source DIR`, or a config file',
      );
    }
    const endpoint = args.endpoint ?? config?.aws_conf.endpoint_url;
    source = {
      type: 's3',
      bucket,
      prefix: prefix.replace(/^\/+|\/+$/g, ''),
      region: args.region ?? config?.aws_conf.aws_region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      ...(args.forcePathStyle ? { forcePathStyle: true } : {}),
    };
  }
  if (output.startsWith('s3://') && source.type !== 's3') {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      'An s3:// output needs an S3 source (`--bucket`)',
    );
  }
  const start = instant('start', args.start ?? config?.start_utc);
  const end = instant('end', args.end ?? config?.end_utc);
  if (!(end > start)) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Expected \`end\` after \`start\`, got start=${start} end=${end}`,
    );
  }
  if (args.pad !== undefined && !(args.pad >= 0)) {
    throw new RecorderError(
      RecorderErrorCode.BadArguments,
      `Expected \`pad\` >= 0 seconds, got \`${args.pad}\``,
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
    format: formatOf(output, args.format),
    concurrency: positiveInteger('concurrency', args.concurrency, 16),
    pad: args.pad ?? 0,
    noTrim: args.trim === false,
    keepTemp: args.keepTemp ?? false,
    resume: args.resume ?? true,
    ...(args.tempDir ? { tempDir: args.tempDir } : {}),
    ...(args.ffmpeg ? { ffmpegPath: args.ffmpeg } : {}),
  };
}
