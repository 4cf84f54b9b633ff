import { WarningLog } from '@rec/core';
import { MpdWarningCode } from '../MpdWarningCode.js';
import { parseXml } from '../xml/parseXml.js';
import type { XmlElement } from '../xml/XmlElement.js';
import type { Mpd } from './Mpd.js';
import { buildMpd, DEFAULT_MAX_BYTES, decodeText, RESOLVE_TO_ZERO } from './parseMpd.js';

export interface ResolveXlinksOptions {
  /**
   * The remote element entity at an absolute URL (its bytes or text): the
   * caller fetches, with its own client, retries and URL rules (a URL it
   * refuses is a thrown error, reported as a warning).
   */
  load: (url: string, signal?: AbortSignal) => Promise<string | Uint8Array>;
  signal?: AbortSignal;
  /** Remote entities fetched at most (default 64): the rest stay as written, with a warning. */
  maxRequests?: number;
}

/**
 * The elements 23009-1 lets be remote (5.5.1: Period, AdaptationSet,
 * SegmentList, EventStream; Preselection and InitializationSet in later
 * editions). Other elements' `xlink:href` is no remote element:
 * `up:UrlQueryInfo` names the URL whose query parameters go into requests.
 */
const REMOTE_ELEMENTS = new Set([
  'Period',
  'AdaptationSet',
  'SegmentList',
  'EventStream',
  'Preselection',
  'InitializationSet',
]);

/** Remote entities inside remote entities followed this deep at most. */
const MAX_DEPTH = 3;

/**
 * The MPD with every remote element (ISO/IEC 23009-1 5.5: `xlink:href` on
 * a Period, AdaptationSet, EventStream, SegmentList, Preselection or
 * InitializationSet) replaced by the
 * elements of the same kind its remote entity holds, zero or more,
 * whatever its `xlink:actuate` (a downloader needs them all now):
 * `resolve-to-zero` removes the element, a remote entity that itself links
 * on is followed up to 3 deep. An entity that cannot be fetched or read
 * leaves the element as written, with an `MPD_XLINK_NOT_RESOLVED` warning
 * that says why. References resolve against the manifest URL; prefixes the
 * entity uses but does not declare take the MPD root's declarations. The
 * result is a new `Mpd` (Periods placed again), its `element` the spliced
 * tree; `mpd` itself is returned when it links nothing remote.
 */
export async function resolveXlinks(mpd: Mpd, options: ResolveXlinksOptions): Promise<Mpd> {
  if (!hasRemoteLink(mpd.element)) return mpd;
  const warnings = new WarningLog<MpdWarningCode>();
  // What the XML parse found stays; the model's warnings come again from the spliced tree.
  warnings.merge(mpd.warnings.filter((warning) => XML_WARNINGS.has(warning.code)));
  let budget = options.maxRequests ?? 64;
  // The root's namespace declarations, for entities that use its prefixes (xlink:, cenc:) undeclared.
  const declarations = Object.entries(mpd.element.attributes)
    .filter(([name]) => name === 'xmlns' || name.startsWith('xmlns:'))
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');

  const expand = async (element: XmlElement, depth: number): Promise<XmlElement[]> => {
    const href = hrefOf(element);
    if (href === undefined) return [await withChildren(element, depth)];
    if (href === RESOLVE_TO_ZERO) return [];
    const where = `${element.path}: xlink:href ${href}`;
    if (depth >= MAX_DEPTH || budget <= 0) {
      warnings.add(
        MpdWarningCode.XlinkNotResolved,
        `${where} was not fetched (${depth >= MAX_DEPTH ? `links nested ${MAX_DEPTH} deep` : 'maxRequests reached'}); used as written`,
      );
      return [element];
    }
    budget--;
    let found: XmlElement[];
    try {
      options.signal?.throwIfAborted();
      const url = new URL(href, mpd.manifestUrl).href;
      const body = await options.load(url, options.signal);
      // The manifest's own bound, and its decoding (a BOM decides, else UTF-8).
      if (body.length > DEFAULT_MAX_BYTES)
        throw new Error(`${body.length} bytes, more than ${DEFAULT_MAX_BYTES}`);
      const text = typeof body === 'string' ? body : decodeText(body);
      // Zero or more elements of the referencing element's kind (5.5.3), under the root's declarations.
      const wrapper = parseXml(
        `<rec-xlink${declarations}>${text.replace(/^\uFEFF?\s*<\?xml[^>]*\?>/, '')}</rec-xlink>`,
        warnings,
      );
      found = wrapper.children.filter((child) => child.localName === element.localName);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      warnings.add(
        MpdWarningCode.XlinkNotResolved,
        `${where} could not be resolved (${error instanceof Error ? error.message : String(error)}); used as written`,
      );
      return [element];
    }
    const expanded: XmlElement[] = [];
    for (const child of found) expanded.push(...(await expand(child, depth + 1)));
    return expanded;
  };

  const withChildren = async (element: XmlElement, depth: number): Promise<XmlElement> => {
    if (!hasRemoteLink(element)) return element;
    const children: XmlElement[] = [];
    for (const child of element.children) children.push(...(await expand(child, depth)));
    return { ...element, children };
  };

  const root = reindex(await withChildren(mpd.element, 0), mpd.element.path);
  return buildMpd(root, mpd.manifestUrl, warnings);
}

const XML_WARNINGS = new Set<string>([MpdWarningCode.UndeclaredPrefix, MpdWarningCode.BareAmpersand]);

/** `xlink:href` of an element that may be remote, trimmed (any prefix: manifests bind XLink to `xlink` and, rarely, others). */
function hrefOf(element: XmlElement): string | undefined {
  if (!REMOTE_ELEMENTS.has(element.localName)) return undefined;
  const name = Object.keys(element.attributes).find((key) => key.endsWith(':href'));
  const href = name === undefined ? undefined : element.attributes[name]?.trim();
  return href === '' ? undefined : href;
}

function hasRemoteLink(element: XmlElement): boolean {
  return element.children.some((child) => hrefOf(child) !== undefined || hasRemoteLink(child));
}

/** The tree with every path written again from `path` (same-name siblings counted from 0), as the parser writes them. */
function reindex(element: XmlElement, path: string): XmlElement {
  const seen = new Map<string, number>();
  const children = element.children.map((child) => {
    const index = seen.get(child.name) ?? 0;
    seen.set(child.name, index + 1);
    return reindex(child, `${path}/${child.name}[${index}]`);
  });
  return { ...element, path, children };
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
