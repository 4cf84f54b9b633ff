/** Where an attribute's value sits in the manifest text (between its quotes), still escaped. */
export interface AttributeSpan {
  start: number;
  end: number;
}

/** One start tag of the manifest text, in document order. */
export interface StartTag {
  /** Local name (prefix dropped): `BaseURL`, `SegmentTemplate`. */
  localName: string;
  attributes: Map<string, AttributeSpan>;
  /**
   * Where the element's text sits when it is text only (`<BaseURL>x</BaseURL>`): from the end
   * of the start tag to its end tag. Absent for an empty element or content with markup.
   */
  content?: AttributeSpan;
}

const NAME = /[^\s/>=]+/y;
const ATTRIBUTE = /\s+([^\s/>=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_END = /\s*(\/?)>/y;

/**
 * The start tags of an XML document (XML 1.0 3.1) in document order, the
 * order of a pre-order walk of its element tree, with the positions of
 * their attribute values: what an in-place edit of a few attributes needs,
 * leaving every other byte as served. Comments, CDATA sections,
 * processing instructions and the doctype are skipped whole (a `<` inside
 * them is no tag). `undefined` when a tag does not read as XML: the caller
 * then edits nothing.
 */
export function scanStartTags(text: string): StartTag[] | undefined {
  const tags: StartTag[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    if (open < 0) return tags;
    const skip = skipMarkup(text, open);
    if (skip !== undefined) {
      if (skip < 0) return undefined;
      at = skip;
      continue;
    }
    NAME.lastIndex = open + 1;
    const name = NAME.exec(text);
    if (!name) return undefined;
    let position = NAME.lastIndex;
    const attributes = new Map<string, AttributeSpan>();
    for (;;) {
      ATTRIBUTE.lastIndex = position;
      const attribute = ATTRIBUTE.exec(text);
      if (!attribute) break;
      const value = attribute[2] ?? attribute[3] ?? '';
      const end = ATTRIBUTE.lastIndex - 1;
      attributes.set(attribute[1] as string, { start: end - value.length, end });
      position = ATTRIBUTE.lastIndex;
    }
    TAG_END.lastIndex = position;
    const close = TAG_END.exec(text);
    if (!close) return undefined;
    at = TAG_END.lastIndex;
    const qualified = name[0];
    const tag: StartTag = { localName: qualified.slice(qualified.indexOf(':') + 1), attributes };
    if (close[1] === '') {
      const next = text.indexOf('<', at);
      if (next > at && text.startsWith('</', next)) tag.content = { start: at, end: next };
    }
    tags.push(tag);
  }
}

/** Past the comment, CDATA section, PI, doctype or end tag at `open`; -1 if unterminated; undefined for a start tag. */
function skipMarkup(text: string, open: number): number | undefined {
  const until = (end: string) => {
    const found = text.indexOf(end, open);
    return found < 0 ? -1 : found + end.length;
  };
  if (text.startsWith('<!--', open)) return until('-->');
  if (text.startsWith('<![CDATA[', open)) return until(']]>');
  if (text.startsWith('<?', open)) return until('?>');
  if (text.startsWith('<!', open)) {
    // A doctype with an internal subset ends at `]>`.
    const bracket = text.indexOf('[', open);
    const gt = text.indexOf('>', open);
    if (bracket >= 0 && bracket < gt) return until(']>');
    return gt < 0 ? -1 : gt + 1;
  }
  if (text.startsWith('</', open)) return until('>');
  return undefined;
}
