import { z } from 'zod';
import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { defaultLayout, type KindLayout, type SegmentLayout } from './SegmentLayout.js';
import { templateTokens } from './templatePrefixes.js';

/** Builds a zod error message that says what a field expects and what it got. */
const expected =
  (what: string) =>
  (issue: { input?: unknown }): string =>
    `expected ${what}, got ${show(issue.input)}`;

const oneOf = (values: readonly string[]) => expected(`one of ${values.map((v) => `"${v}"`).join(', ')}`);

/** A strict object: an unknown field is an error that lists the known ones. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown option; expected one of ${known}`
        : expected('an object')(issue),
  });
}

const directoryText = expected('a relative directory such as `00/video`');
const directorySchema = z.string({ error: directoryText }).transform((text, context) => {
  const directory = text.replace(/^\/+|\/+$/g, '');
  if (directory === '' || directory.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    context.issues.push({
      code: 'custom',
      input: text,
      message: directoryText({ input: text }),
    });
    return z.NEVER;
  }
  return directory;
});

const extensionText = expected('an extension such as ".h264"');
/** With or without the leading dot; normalised to lower case with the dot. */
const extensionSchema = z
  .string({ error: extensionText })
  .regex(/^\.?[A-Za-z0-9_-]+$/, { error: extensionText })
  .transform((value) => (value.startsWith('.') ? value : `.${value}`).toLowerCase());

const extensionsText = expected('a non-empty array of extensions such as [".h264"]');
const extensionsSchema = z
  .array(extensionSchema, { error: extensionsText })
  .min(1, { error: extensionsText })
  .readonly();

const tokenList = templateTokens.map((token) => `{${token}}`).join(', ');
const templateSchema = z
  .string({ error: expected(`a key template such as \`{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/video/\``) })
  .superRefine((text, context) => {
    const tokens = [...text.matchAll(/\{([^}]*)\}/g)].map((match) => match[1] ?? '');
    const unknown = tokens.find((token) => !(templateTokens as readonly string[]).includes(token));
    if (unknown !== undefined) {
      context.addIssue({
        code: 'custom',
        message: `unknown token {${unknown}} in \`${text}\`; expected ${tokenList}`,
      });
    } else if (/[{}]/.test(text.replace(/\{[^}]*\}/g, ''))) {
      context.addIssue({ code: 'custom', message: `unbalanced braces in \`${text}\`` });
    }
  })
  .transform((text) => (text.endsWith('/') ? text : `${text}/`));

/** One kind's layout; missing fields come from `fallback`. */
function kindSchema(fallback: KindLayout) {
  return strictObject({
    directory: directorySchema.optional(),
    extensions: extensionsSchema.optional(),
    template: templateSchema.optional(),
  })
    .transform(
      (input): KindLayout => ({
        directory: input.directory ?? fallback.directory,
        extensions: input.extensions ?? fallback.extensions,
        template: input.template ?? fallback.template,
      }),
    )
    .prefault({});
}

/** A RegExp or its source text, with a named group `epoch`; global/sticky flags are dropped. */
const epochPatternSchema = z
  .union([z.string(), z.instanceof(RegExp)], { error: expected('a RegExp or its source text') })
  .transform((input, context) => {
    if (input instanceof RegExp) return input;
    try {
      return new RegExp(input);
    } catch (cause) {
      context.issues.push({
        code: 'custom',
        input,
        message: `expected a regular expression, got \`${input}\` (${(cause as Error).message})`,
      });
      return z.NEVER;
    }
  })
  .refine((pattern) => pattern.source.includes('(?<epoch>'), {
    error: (issue) =>
      `expected a named group \`(?<epoch>...)\`, got \`${(issue.input as RegExp | undefined)?.source}\``,
  })
  // A global/sticky RegExp keeps state between exec() calls: strip those flags.
  .transform((pattern) => new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')));

const epochUnits = ['auto', 's', 'ms'] as const satisfies readonly SegmentLayout['epochUnit'][];
const scans = ['directory', 'prefix'] as const satisfies readonly SegmentLayout['scan'][];

/** The whole layout: validated, normalised, completed with the legacy defaults. */
const layoutSchema = strictObject({
  video: kindSchema(defaultLayout.kinds.video),
  audio: kindSchema(defaultLayout.kinds.audio),
  epochPattern: epochPatternSchema.default(defaultLayout.epochPattern),
  epochUnit: z.enum(epochUnits, { error: oneOf(epochUnits) }).default(defaultLayout.epochUnit),
  namePrefix: z.string({ error: expected('a string') }).default(defaultLayout.namePrefix),
  sortedKeys: z.boolean({ error: expected('true or false') }).default(defaultLayout.sortedKeys),
  scan: z.enum(scans, { error: oneOf(scans) }).default(defaultLayout.scan),
}).transform(({ video, audio, ...rest }): SegmentLayout => ({ kinds: { video, audio }, ...rest }));

/**
 * Layout options as they come from a config file or CLI: every field optional.
 * Extensions may be given with or without the leading dot; `epochPattern` is a
 * RegExp or its source text with a named group `epoch`, applied to the file name.
 */
export type LayoutInput = z.input<typeof layoutSchema>;

/**
 * Validates layout options (from a config file, CLI flags, or code) and fills
 * in the legacy defaults. Throws `S3SegmentsError` `INVALID_LAYOUT` naming
 * every bad field (`layout.video.extensions[1]`), what it expects and what it
 * got, one per line.
 */
export function parseLayout(input: unknown = {}): SegmentLayout {
  const parsed = layoutSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${fieldPath([...issue.path, key])}: ${issue.message}`)
      : [`${fieldPath(issue.path)}: ${issue.message}`],
  );
  throw new S3SegmentsError(S3SegmentsErrorCode.InvalidLayout, problems.join('\n'));
}

/** `['video', 'extensions', 1]` -> `layout.video.extensions[1]`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${String(part)}`),
    'layout',
  );
}

function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === undefined) return 'undefined';
  if (value instanceof RegExp) return `\`${value}\``;
  try {
    return `\`${JSON.stringify(value)}\``;
  } catch {
    return String(value);
  }
}
