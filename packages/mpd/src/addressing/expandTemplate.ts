/** The values a template identifier takes for one segment (23009-1 5.3.9.4.4, Table 16). */
export interface TemplateValues {
  representationId: string;
  bandwidth: number;
  number?: number;
  subNumber?: number;
  time?: bigint;
}

type Identifier = 'RepresentationID' | 'Number' | 'SubNumber' | 'Bandwidth' | 'Time';

type Part =
  | string
  | { identifier: Identifier; width: number; format: 'd' | 'o' | 'x' | 'X'; written: string };

/** A template split once into literal text and identifiers, to fill for many segments. */
export interface CompiledTemplate {
  readonly text: string;
  readonly parts: readonly Part[];
  /** Identifiers written in the template, and unknown `$...$` kept literally. */
  readonly identifiers: ReadonlySet<Identifier>;
  readonly unknown: readonly string[];
}

// $Identifier$ or $Identifier%0<width><format>$ (format d/i/u decimal, o octal, x/X hex as
// shaka-player and dash.js accept them; the spec writes %0[width]d), or $$ for a '$'.
const token = /\$(?:(RepresentationID|Number|SubNumber|Bandwidth|Time)(?:%0([0-9]{1,3})([diouxX]))?)?\$/g;

export function compileTemplate(text: string): CompiledTemplate {
  const parts: Part[] = [];
  const identifiers = new Set<Identifier>();
  const unknown: string[] = [];
  let literal = '';
  let last = 0;
  for (const match of text.matchAll(token)) {
    const between = text.slice(last, match.index);
    // A '$' outside a token starts an identifier this function does not know.
    if (between.includes('$')) unknown.push(between);
    literal += between;
    last = match.index + match[0].length;
    const [written, identifier, width, format] = match;
    if (identifier === undefined) {
      literal += '$'; // $$ is an escaped '$'
      continue;
    }
    if (literal) parts.push(literal);
    literal = '';
    identifiers.add(identifier as Identifier);
    const code = format === 'o' || format === 'x' || format === 'X' ? format : 'd';
    parts.push({ identifier: identifier as Identifier, width: Number(width ?? 1), format: code, written });
  }
  const tail = text.slice(last);
  if (tail.includes('$')) unknown.push(tail);
  literal += tail;
  if (literal) parts.push(literal);
  return { text, parts, identifiers, unknown };
}

/**
 * Fills a compiled template. An identifier without a value here (`$Time$`
 * in an `@initialization`) is kept as written and reported through
 * `onMissing`; `$RepresentationID$` ignores a width (the spec gives it none).
 */
export function fillTemplate(
  template: CompiledTemplate,
  values: TemplateValues,
  onMissing?: (identifier: string) => void,
): string {
  let out = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    if (part.identifier === 'RepresentationID') {
      out += values.representationId;
      continue;
    }
    const value =
      part.identifier === 'Number'
        ? values.number
        : part.identifier === 'SubNumber'
          ? values.subNumber
          : part.identifier === 'Bandwidth'
            ? values.bandwidth
            : values.time;
    if (value === undefined) {
      onMissing?.(part.identifier);
      out += part.written;
      continue;
    }
    const digits =
      part.format === 'd'
        ? value.toString()
        : part.format === 'o'
          ? value.toString(8)
          : part.format === 'x'
            ? value.toString(16)
            : value.toString(16).toUpperCase();
    out += digits.length < part.width ? digits.padStart(part.width, '0') : digits;
  }
  return out;
}

/** One-shot `compileTemplate` + `fillTemplate`. */
export function expandTemplate(text: string, values: TemplateValues): string {
  return fillTemplate(compileTemplate(text), values);
}
