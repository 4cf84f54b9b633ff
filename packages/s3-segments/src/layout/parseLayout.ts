import { S3SegmentsError, S3SegmentsErrorCode } from '../S3SegmentsError.js';
import { type SegmentKind, segmentKinds } from '../types/Segment.js';
import { defaultLayout, type KindLayout, type SegmentLayout } from './SegmentLayout.js';
import { templateTokens } from './templatePrefixes.js';

/** Layout options as they come from a config file or CLI: every field optional. */
export interface LayoutInput {
  video?: Partial<KindLayoutInput>;
  audio?: Partial<KindLayoutInput>;
  /** A RegExp or its source text, with a named group `epoch`, applied to the file name. */
  epochPattern?: string | RegExp;
  epochUnit?: SegmentLayout['epochUnit'];
  namePrefix?: string;
  sortedKeys?: boolean;
  scan?: SegmentLayout['scan'];
}

interface KindLayoutInput {
  directory: string;
  /** With or without the leading dot. */
  extensions: readonly string[];
  template: string;
}

const layoutFields = ['video', 'audio', 'epochPattern', 'epochUnit', 'namePrefix', 'sortedKeys', 'scan'];
const kindFields = ['directory', 'extensions', 'template'];

/**
 * Validates layout options (from a config file, CLI flags, or code) and fills
 * in the legacy defaults. Throws `S3SegmentsError` `INVALID_LAYOUT` naming the
 * field, what it expects and what it got.
 *
 * (Validation is hand-written: zod is not a dependency of this package yet.)
 */
export function parseLayout(input: unknown = {}): SegmentLayout {
  const object = record(input, 'layout');
  unknownFields(object, layoutFields, 'layout');
  const kinds = {} as Record<SegmentKind, KindLayout>;
  for (const kind of segmentKinds) {
    kinds[kind] = parseKind(object[kind], kind, defaultLayout.kinds[kind]);
  }
  return {
    kinds,
    epochPattern: parseEpochPattern(object.epochPattern),
    epochUnit: oneOf(
      object.epochUnit,
      ['auto', 's', 'ms'] as const,
      'layout.epochUnit',
      defaultLayout.epochUnit,
    ),
    namePrefix: optionalString(object.namePrefix, 'layout.namePrefix') ?? defaultLayout.namePrefix,
    sortedKeys: optionalBoolean(object.sortedKeys, 'layout.sortedKeys') ?? defaultLayout.sortedKeys,
    scan: oneOf(object.scan, ['directory', 'prefix'] as const, 'layout.scan', defaultLayout.scan),
  };
}

function parseKind(input: unknown, kind: SegmentKind, fallback: KindLayout): KindLayout {
  const path = `layout.${kind}`;
  if (input === undefined) return fallback;
  const object = record(input, path);
  unknownFields(object, kindFields, path);
  const directory = optionalString(object.directory, `${path}.directory`);
  const result: KindLayout = {
    directory: directory === undefined ? fallback.directory : parseDirectory(directory, `${path}.directory`),
    extensions: parseExtensions(object.extensions, `${path}.extensions`) ?? fallback.extensions,
  };
  const template = optionalString(object.template, `${path}.template`);
  if (template !== undefined) result.template = parseTemplate(template, `${path}.template`);
  return result;
}

function parseDirectory(text: string, path: string): string {
  const directory = text.replace(/^\/+|\/+$/g, '');
  if (directory === '' || directory.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    fail(`${path}: expected a relative directory such as \`00/video\`, got \`${text}\``);
  }
  return directory;
}

function parseExtensions(input: unknown, path: string): string[] | undefined {
  if (input === undefined) return undefined;
  if (!Array.isArray(input) || input.length === 0) {
    fail(`${path}: expected a non-empty array of extensions such as [".h264"], got ${show(input)}`);
  }
  return input.map((value: unknown, index) => {
    if (typeof value !== 'string' || !/^\.?[A-Za-z0-9_-]+$/.test(value)) {
      fail(`${path}[${index}]: expected an extension such as ".h264", got ${show(value)}`);
    }
    return (value.startsWith('.') ? value : `.${value}`).toLowerCase();
  });
}

function parseTemplate(text: string, path: string): string {
  const tokens = [...text.matchAll(/\{([^}]*)\}/g)].map((match) => match[1] ?? '');
  const unknown = tokens.find((token) => !(templateTokens as readonly string[]).includes(token));
  if (unknown !== undefined) {
    fail(
      `${path}: unknown token {${unknown}} in \`${text}\`; expected ${templateTokens.map((t) => `{${t}}`).join(', ')}`,
    );
  }
  if (/[{}]/.test(text.replace(/\{[^}]*\}/g, ''))) fail(`${path}: unbalanced braces in \`${text}\``);
  return text.endsWith('/') ? text : `${text}/`;
}

function parseEpochPattern(input: unknown): RegExp {
  if (input === undefined) return defaultLayout.epochPattern;
  let pattern: RegExp;
  if (input instanceof RegExp) pattern = input;
  else if (typeof input === 'string') {
    try {
      pattern = new RegExp(input);
    } catch (cause) {
      fail(
        `layout.epochPattern: expected a regular expression, got \`${input}\` (${(cause as Error).message})`,
      );
    }
  } else fail(`layout.epochPattern: expected a RegExp or its source text, got ${show(input)}`);
  if (!pattern.source.includes('(?<epoch>')) {
    fail(`layout.epochPattern: expected a named group \`(?<epoch>...)\`, got \`${pattern.source}\``);
  }
  // A global/sticky RegExp keeps state between exec() calls: strip those flags.
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

function record(input: unknown, path: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail(`${path}: expected an object, got ${show(input)}`);
  }
  return input as Record<string, unknown>;
}

function unknownFields(object: Record<string, unknown>, known: readonly string[], path: string): void {
  const unknown = Object.keys(object).find((field) => !known.includes(field));
  if (unknown !== undefined) fail(`${path}.${unknown}: unknown option; expected one of ${known.join(', ')}`);
}

function optionalString(input: unknown, path: string): string | undefined {
  if (input === undefined || typeof input === 'string') return input;
  fail(`${path}: expected a string, got ${show(input)}`);
}

function optionalBoolean(input: unknown, path: string): boolean | undefined {
  if (input === undefined || typeof input === 'boolean') return input;
  fail(`${path}: expected true or false, got ${show(input)}`);
}

function oneOf<T extends string>(input: unknown, values: readonly T[], path: string, fallback: T): T {
  if (input === undefined) return fallback;
  if (typeof input === 'string' && (values as readonly string[]).includes(input)) return input as T;
  fail(`${path}: expected one of ${values.map((v) => `"${v}"`).join(', ')}, got ${show(input)}`);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === undefined) return 'undefined';
  try {
    return `\`${JSON.stringify(value)}\``;
  } catch {
    return String(value);
  }
}

function fail(message: string): never {
  throw new S3SegmentsError(S3SegmentsErrorCode.InvalidLayout, message);
}
