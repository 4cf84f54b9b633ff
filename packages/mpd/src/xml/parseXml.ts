import type { WarningLog } from '@rec/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MpdError } from '../MpdError.js';
import { MpdWarningCode } from '../MpdWarningCode.js';
import { decodeEntities, type EntityProblems } from './decodeEntities.js';
import type { XmlElement } from './XmlElement.js';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** fast-xml-parser's ordered node: `{ [tagName]: children, ':@'?: attributes }` or `{ '#text': string }`. */
type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Values stay strings: the model converts them with zod at the edge.
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // No entity processing at all (DOCTYPE entities included): decodeEntities
  // replaces the predefined ones and character references, nothing else.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  captureMetaData: true,
  maxNestedTags: 100,
});
const metadata = XMLParser.getMetaDataSymbol();

/**
 * Parses XML text into `XmlElement`s. Malformed XML is an `MpdError` naming
 * the line and column; prefixes used but not declared are tolerated (the
 * namespace is then `null`) with one `MPD_UNDECLARED_PREFIX` warning per prefix.
 */
export function parseXml(text: string, warnings: WarningLog<MpdWarningCode>): XmlElement {
  const source = escapeBareAmpersands(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, () =>
    warnings.add(MpdWarningCode.BareAmpersand, "a bare '&' (not an entity reference) was read as '&amp;'"),
  );
  const lines = lineStarts(source);
  const verdict = XMLValidator.validate(source, { allowBooleanAttributes: false });
  if (verdict !== true) throw malformed(verdict.err, source, lines);

  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(source) as OrderedNode[];
  } catch (cause) {
    throw new MpdError('MPD_INVALID', `malformed XML: ${(cause as Error).message}`, { path: '', cause });
  }

  const declared = declaredEntities(source);
  const undeclaredPrefixes = new Set<string>();
  let line = 1;
  const problems: EntityProblems = {
    bareAmpersand: () =>
      warnings.add(MpdWarningCode.BareAmpersand, `line ${line}: a bare '&' was kept as written`),
    unknownEntity: (name) => {
      const reference = `&${name};`;
      if (declared.has(name)) {
        throw new MpdError(
          'MPD_UNSUPPORTED',
          `line ${line}: ${reference} is declared in the DOCTYPE; entity expansion is refused`,
          { path: '', line },
        );
      }
      throw new MpdError('MPD_INVALID', `line ${line}: ${reference} is not a defined XML entity`, {
        path: '',
        line,
      });
    },
  };

  const resolve = (prefix: string, scope: ReadonlyMap<string, string>, at: number): string | null => {
    const uri = scope.get(prefix);
    if (uri !== undefined) return uri || null;
    if (prefix && !undeclaredPrefixes.has(prefix)) {
      undeclaredPrefixes.add(prefix);
      warnings.add(
        MpdWarningCode.UndeclaredPrefix,
        `line ${at}: namespace prefix '${prefix}:' is used but not declared`,
      );
    }
    return null;
  };

  const convert = (
    node: OrderedNode,
    name: string,
    path: string,
    parentScope: ReadonlyMap<string, string>,
  ): XmlElement => {
    const offset = (node[metadata as unknown as string] as { startIndex?: number } | undefined)?.startIndex;
    const elementLine = offset === undefined ? 0 : lineOf(lines, offset);
    line = elementLine;
    const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
    const attributes: Record<string, string> = Object.create(null);
    let scope = parentScope;
    for (const [key, value] of Object.entries(rawAttributes)) {
      const decoded = decodeEntities(value, problems);
      attributes[key] = decoded;
      if (key === 'xmlns' || key.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(parentScope);
        (scope as Map<string, string>).set(key === 'xmlns' ? '' : key.slice(6), decoded);
      }
    }
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const namespace = resolve(prefix, scope, elementLine);
    for (const key of Object.keys(attributes)) {
      const at = key.indexOf(':');
      if (at > 0 && !key.startsWith('xmlns:')) resolve(key.slice(0, at), scope, elementLine);
    }

    const children: XmlElement[] = [];
    const seen = new Map<string, number>();
    let ownText = '';
    for (const child of (node[name] ?? []) as OrderedNode[]) {
      const key = Object.keys(child).find((k) => k !== ':@');
      if (key === undefined) continue;
      if (key === '#text') {
        line = elementLine;
        ownText += decodeEntities(String(child[key]), problems);
      } else if (key === '#cdata') {
        // CDATA is literal: no entity decoding.
        for (const part of child[key] as OrderedNode[]) ownText += String(part['#text'] ?? '');
      } else if (!key.startsWith('!') && !key.startsWith('?')) {
        const index = seen.get(key) ?? 0;
        seen.set(key, index + 1);
        children.push(convert(child, key, `${path}/${key}[${index}]`, scope));
      }
    }
    return {
      name,
      localName: colon < 0 ? name : name.slice(colon + 1),
      namespace,
      attributes,
      children,
      text: ownText,
      path,
      line: elementLine,
    };
  };

  const roots = nodes.flatMap((node) => {
    const key = Object.keys(node).find((k) => k !== ':@');
    return key === undefined || key.startsWith('#') || key.startsWith('!') || key.startsWith('?')
      ? []
      : [{ node, key }];
  });
  const root = roots[0];
  if (roots.length !== 1 || root === undefined) {
    throw new MpdError('MPD_INVALID', `expected one root element, found ${roots.length}`, { path: '' });
  }
  const initialScope = new Map([['xml', XML_NAMESPACE]]);
  return convert(root.node, root.key, root.key, initialScope);
}

function malformed(
  error: { code: string; msg: string; line: number; col: number },
  source: string,
  lines: number[],
): MpdError {
  // The validator reports unclosed elements at line 1, column 1 with the
  // list of open tags; the real position is the end of the input.
  const unclosed = /^Invalid '\[(.*)\]' found\.$/s.exec(error.msg);
  if (unclosed) {
    const open = [...(unclosed[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    const line = lines.length;
    const column = source.length - (lines[line - 1] ?? 0) + 1;
    return new MpdError(
      'MPD_INVALID',
      `malformed XML at line ${line}, column ${column}: unexpected end of input, ${open.join(', ')} not closed`,
      { path: '', line, column },
    );
  }
  return new MpdError(
    'MPD_INVALID',
    `malformed XML at line ${error.line}, column ${error.col}: ${error.msg}`,
    { path: '', line: error.line, column: error.col },
  );
}

/**
 * A `&` that starts no reference is not well-formed XML, yet manifests
 * write them in URLs (`?a=1&b=2`); it is read as `&amp;` (outside CDATA
 * and comments, where `&` is literal) so such a manifest still parses.
 */
function escapeBareAmpersands(text: string, onBare: () => void): string {
  if (!text.includes('&')) return text;
  const bare = /&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z_:][A-Za-z0-9_.:-]*;)/g;
  let found = false;
  const escaped = text
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(bare, () => {
            found = true;
            return '&amp;';
          }),
    )
    .join('');
  if (found) onBare();
  return escaped;
}

/** Names of the general entities a DOCTYPE internal subset declares. */
function declaredEntities(source: string): Set<string> {
  const names = new Set<string>();
  const doctype = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/.exec(source.slice(0, 1 << 20));
  if (doctype) for (const m of (doctype[1] ?? '').matchAll(/<!ENTITY\s+([^\s%]+)/g)) names.add(m[1] ?? '');
  return names;
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}
