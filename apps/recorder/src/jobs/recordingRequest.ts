import { isAbsolute, resolve } from 'node:path';
import { type LayoutInput, parseLayout, type SegmentLayout } from '@rec/s3-segments';
import { z } from 'zod';
import { parseInstant } from '../parseInstant.js';
import { OutputFormat, type RecordOptions } from '../RecordOptions.js';

/** An instant as `record()` takes it in JSON (Unix seconds or ms, ISO-8601 with a zone), read into Unix seconds. */
const instantSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  try {
    return parseInstant(value);
  } catch (error) {
    context.issues.push({ code: 'custom', input: value, message: (error as Error).message });
    return z.NEVER;
  }
});

/**
 * The S3 source without the fields that cannot travel as JSON or must not
 * (a client object; credentials, which would sit in Redis in clear text:
 * a worker signs with its own chain, env, profile or instance role).
 */
const s3SourceSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().min(1),
  prefix: z.string().transform((prefix) => prefix.replace(/^\/+|\/+$/g, '')),
  region: z.string().min(1).optional(),
  endpoint: z.url().optional(),
  forcePathStyle: z.boolean().optional(),
});
const localSourceSchema = z.strictObject({
  type: z.literal('local'),
  root: z.string().min(1),
  prefix: z.string().optional(),
});

/**
 * One recording as plain JSON: what `resolveRecordOptions` (config.ts)
 * makes of a command line, minus the signal, the callbacks and the client
 * objects. It is a job's data in Redis, and one line of a `recorder batch`
 * job file. `layout` is @rec/s3-segments' `LayoutInput` (an `epochPattern`
 * as its source text), checked by `parseLayout`.
 */
export const recordingRequestSchema = z
  .strictObject({
    source: z.discriminatedUnion('type', [s3SourceSchema, localSourceSchema]),
    start: instantSchema,
    end: instantSchema,
    output: z.string().min(1),
    format: z.enum([OutputFormat.Mp4, OutputFormat.Ts]).optional(),
    layout: z
      .record(z.string(), z.unknown())
      .optional()
      .superRefine((layout, context) => {
        if (layout === undefined) return;
        try {
          parseLayout(layout);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    kinds: z
      .array(z.enum(['video', 'audio']))
      .min(1)
      .optional(),
    pad: z.number().min(0).optional(),
    noTrim: z.boolean().optional(),
    strict: z.boolean().optional(),
    maxHoleFraction: z.number().min(0).max(1).optional(),
    concurrency: z.int().min(1).optional(),
    tempDir: z.string().min(1).optional(),
    keepTemp: z.boolean().optional(),
    resume: z.boolean().optional(),
    ffmpegPath: z.string().min(1).optional(),
    verify: z.boolean().optional(),
  })
  .refine((request) => request.end > request.start, {
    path: ['end'],
    message: 'expected `end` after `start`',
  })
  .refine((request) => !request.output.startsWith('s3://') || request.source.type === 's3', {
    path: ['output'],
    message: 'an s3:// output needs an S3 source',
  });

/** A recording request as JSON gives it (instants as numbers or text). */
export type RecordingRequestInput = z.input<typeof recordingRequestSchema>;
/** A checked recording request: instants in Unix seconds. */
export type RecordingRequest = z.output<typeof recordingRequestSchema>;

/**
 * Every `RecordOptions` field is a request field or left out on purpose
 * (the signal, the callback): a new option does not compile until it is
 * decided here (and, if it changes the output, in `recordingJobId`).
 */
type LeftOut = 'signal' | 'onProgress';
const decided: Record<Exclude<keyof RecordOptions, keyof RecordingRequest | LeftOut>, never> = {};
void decided;

/** A layout in its JSON form (`epochPattern` as text), which `parseLayout` reads back. */
function layoutInputOf(layout: SegmentLayout): LayoutInput {
  const { kinds, epochPattern, ...rest } = layout;
  return { ...kinds, ...rest, epochPattern: epochPattern.source };
}

/**
 * The JSON request of `record()` options (from `resolveRecordOptions`, or
 * a library caller's): refuses what cannot run elsewhere (a stream output,
 * a caller's client or credentials). Throws zod's error for a bad field.
 */
export function recordingRequestOf(options: RecordOptions): RecordingRequest {
  const { source, output, layout, signal: _signal, onProgress: _onProgress, ...rest } = options;
  if (typeof output !== 'string') {
    throw new TypeError('Expected `output` to be a path or an s3:// URL (a job cannot write to a stream)');
  }
  if (source.type === 's3' && (source.client || source.credentials)) {
    throw new TypeError(
      'Expected `source` without `client` or `credentials`: a job must not carry them (its worker uses its own)',
    );
  }
  const {
    client: _client,
    credentials: _credentials,
    ...plainSource
  } = source as typeof source & {
    client?: unknown;
    credentials?: unknown;
  };
  const start = options.start instanceof Date ? parseInstant(options.start) : options.start;
  const end = options.end instanceof Date ? parseInstant(options.end) : options.end;
  return recordingRequestSchema.parse({
    ...rest,
    source: plainSource,
    start,
    end,
    output,
    layout: layout && layoutInputOf(layout),
    kinds: rest.kinds && [...rest.kinds],
  });
}

/** The `record()` options of a request (without signal and callbacks). */
export function recordOptionsOf(request: RecordingRequest): RecordOptions {
  const { layout, ...rest } = request;
  return { ...rest, layout: layout === undefined ? undefined : parseLayout(layout) };
}

const absolute = (path: string | undefined, cwd: string) =>
  path === undefined || isAbsolute(path) ? path : resolve(cwd, path);

/**
 * The request with its local paths (output, source root, temp dir, an
 * ffmpeg given as a path) made absolute from `cwd`: a job runs in a worker
 * whose working directory is not the submitter's.
 */
export function withAbsolutePaths(request: RecordingRequest, cwd = process.cwd()): RecordingRequest {
  const { source, output, tempDir, ffmpegPath } = request;
  return {
    ...request,
    source:
      source.type === 'local' && !source.root.startsWith('file:')
        ? { ...source, root: absolute(source.root, cwd) ?? source.root }
        : source,
    output: output.startsWith('s3://') ? output : (absolute(output, cwd) ?? output),
    tempDir: absolute(tempDir, cwd),
    ffmpegPath: ffmpegPath?.includes('/') ? absolute(ffmpegPath, cwd) : ffmpegPath,
  };
}
