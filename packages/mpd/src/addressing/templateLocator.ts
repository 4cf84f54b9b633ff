import { MpdError } from '../MpdError.js';
import {
  type CompiledTemplate,
  compileTemplate,
  fillTemplate,
  type TemplateValues,
} from './expandTemplate.js';
import { type AddressingContext, locate, type SegmentLocation } from './RepresentationSegments.js';

/** Values that change from segment to segment. */
type Varying = Pick<TemplateValues, 'number' | 'time' | 'subNumber'>;

/**
 * A function from a segment's `$Number$` / `$Time$` / `$SubNumber$` to its absolute URLs,
 * resolving the template against the BaseURLs once per Representation
 * rather than once per segment: URL parsing dominated the listing of long
 * Representations (2 s for 100 000 segments, against 0.1 s this way).
 *
 * The template is resolved with placeholders made of unreserved characters
 * (RFC 3986 2.3: never escaped, never dot segments) where the numbers go;
 * the numbers, decimal or hex digits, need no escaping either. A template
 * whose placeholder lands in the authority (`http://$Number$.example/`,
 * where digits make an IPv4 host) is resolved per segment instead.
 */
export function templateLocator(
  template: CompiledTemplate,
  constants: Omit<TemplateValues, 'number' | 'time' | 'subNumber'>,
  context: AddressingContext,
  onMissing: (identifier: string) => void,
): (values: Varying) => SegmentLocation {
  const varying = template.parts.filter(
    (part) =>
      typeof part !== 'string' &&
      (part.identifier === 'Number' || part.identifier === 'Time' || part.identifier === 'SubNumber'),
  );
  // Everything but $Number$ / $Time$ / $SubNumber$ is the same for every segment: filled once.
  let placeholderText = '';
  const placeholders: string[] = [];
  for (const part of template.parts) {
    if (typeof part !== 'string' && varying.includes(part)) {
      const placeholder = `~rec${placeholders.length}~`;
      placeholders.push(placeholder);
      placeholderText += placeholder;
    } else {
      placeholderText += fillTemplate({ ...template, parts: [part] }, constants, onMissing);
    }
  }
  const path = context.representation.element.path;
  const perBase = context.representation.baseUrls.map((base) =>
    split(placeholderText, base, placeholders, path),
  );
  if (perBase.length === 0 || perBase.some((chunks) => chunks === undefined)) {
    return (values) => locate(fillTemplate(template, { ...constants, ...values }, onMissing), context);
  }
  const formats = varying.map((part) => compileTemplate(typeof part === 'string' ? part : part.written));
  const fill = (chunks: string[], values: Varying): string => {
    let url = chunks[0] ?? '';
    for (let i = 0; i < formats.length; i++) {
      url +=
        fillTemplate(formats[i] as CompiledTemplate, { ...constants, ...values }) + (chunks[i + 1] ?? '');
    }
    return url;
  };
  const [first, ...others] = perBase as string[][];
  return (values) => {
    const location: SegmentLocation = { url: fill(first as string[], values) };
    if (others.length > 0) location.fallbackUrls = others.map((chunks) => fill(chunks, values));
    return location;
  };
}

/** The resolved URL cut at each placeholder, or `undefined` if a placeholder is not in the path or query. */
function split(text: string, base: string, placeholders: string[], path: string): string[] | undefined {
  const url = URL.parse(text, base);
  if (url === null) {
    throw new MpdError('MPD_INVALID', `${JSON.stringify(text)} does not resolve to a URL against ${base}`, {
      path,
    });
  }
  const href = url.href;
  const authorityEnd = href.length - (url.pathname + url.search + url.hash).length;
  const chunks: string[] = [];
  let from = 0;
  for (const placeholder of placeholders) {
    const at = href.indexOf(placeholder, from);
    if (at < authorityEnd || at < 0) return undefined;
    chunks.push(href.slice(from, at));
    from = at + placeholder.length;
  }
  chunks.push(href.slice(from));
  return chunks;
}
