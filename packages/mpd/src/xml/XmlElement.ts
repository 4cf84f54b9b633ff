/**
 * One element of the manifest as written, after entity decoding and
 * namespace resolution. Every element is kept, known or not
 * (EventStream, ContentProtection, SupplementalProperty, vendor extensions),
 * so callers can read what this package does not model.
 */
export interface XmlElement {
  /** Qualified name as written: `SegmentTemplate`, `cenc:pssh`. */
  readonly name: string;
  /** Name without its prefix: `pssh`. */
  readonly localName: string;
  /** The namespace URI the prefix (or the default namespace) maps to; `null` when none or undeclared. */
  readonly namespace: string | null;
  /** Attributes by qualified name (`xlink:href`), values entity-decoded, never converted. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text and CDATA, entity-decoded, untrimmed. */
  readonly text: string;
  /** Element path from the root, same-name siblings counted from 0: `MPD/Period[0]/AdaptationSet[1]`. */
  readonly path: string;
  /** 1-based line of the start tag in the manifest text. */
  readonly line: number;
}

/** The `name` children of `element` (by local name, in the element's own namespace family). */
export function childElements(element: XmlElement, localName: string): XmlElement[] {
  return element.children.filter((child) => child.localName === localName && sameFamily(element, child));
}

/** The first `name` child of `element`, if any. */
export function firstChild(element: XmlElement, localName: string): XmlElement | undefined {
  return element.children.find((child) => child.localName === localName && sameFamily(element, child));
}

/**
 * DASH children share their parent's namespace (the MPD default namespace);
 * `cenc:pssh` inside `ContentProtection` does not, so `firstChild(cp, 'pssh')`
 * would miss it: callers reading foreign children match on `localName` themselves.
 */
function sameFamily(parent: XmlElement, child: XmlElement): boolean {
  return child.namespace === parent.namespace || child.namespace === null;
}
