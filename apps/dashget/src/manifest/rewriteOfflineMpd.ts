import { type RecWarning, WarningLog } from '@rec/core';
import { localPathFor, type Mpd, orderBaseUrls, type XmlElement } from '@rec/mpd';
import { DashgetWarningCode } from '../DashgetWarningCode.js';
import { type AttributeSpan, type StartTag, scanStartTags } from './scanStartTags.js';

export interface OfflineMpd {
  /** The manifest text to save beside the downloaded files. */
  text: string;
  /** What was changed, one line per kind of change (empty: the manifest is saved as served). */
  changes: string[];
  /**
   * Folders, relative to the output directory (`/`-separated, never `..`), that
   * rewritten references climb out of with `../` (`audio/../cdn/init.mp4`):
   * URL resolution drops `audio/..` but a file system (ffmpeg opens the joined
   * path) resolves it only where `audio` exists, so they must be created.
   */
  folders: string[];
  /** References kept as written though they do not point at a saved file (`DASHGET_OFFLINE_URL_KEPT`). */
  warnings: RecWarning<DashgetWarningCode>[];
}

export interface OfflineMpdOptions {
  /**
   * The URLs downloaded (the plan's): a reference that resolves to none of
   * them (a Representation left out by the selection) is kept as written,
   * with a `DASHGET_OFFLINE_URL_KEPT` warning. Default: every URL counts.
   */
  downloaded?: Iterable<string>;
}

/** Where the output directory sits in the offline URL space, to resolve BaseURLs against. */
const ROOT = 'file:///dashget-root/';

/** Where `$...$` identifiers of a template go while it is resolved: unreserved characters (RFC 3986 2.3), never escaped. */
const PLACEHOLDER = /~dashget(\d+)~/g;

/**
 * The manifest text rewritten, only where needed, to play from the output
 * directory (the files saved at `localPathFor(url)`), edited in place so
 * that everything else stays as served:
 *
 * - a `BaseURL` whose files are saved elsewhere than where it points once
 *   relative to the saved manifest (an absolute BaseURL, another host, a
 *   `../` above the manifest's directory) is replaced by the relative path
 *   of the folder they are saved in;
 * - likewise every other reference (ISO/IEC 23009-1 5.3.9): SegmentTemplate
 *   `@media`, `@initialization` and `@index` (their `$...$` identifiers
 *   kept), SegmentURL `@media` and `@index`, Initialization and
 *   RepresentationIndex `@sourceURL`, at whatever level they sit, resolved
 *   against the BaseURLs of each Representation that uses them; one that
 *   points outside what was downloaded, or that no one relative path can
 *   serve for all its Representations, is kept with a
 *   `DASHGET_OFFLINE_URL_KEPT` warning;
 * - ffmpeg (5.1 and earlier) starts a SegmentTimeline or a SegmentList at
 *   the entry numbered `@startNumber` counted from 0, so it skips the first
 *   segment when `@startNumber` is 1 (measured: 8 s of a 10 s timeline MPD
 *   it wrote itself). Where no URL uses `$Number$`, the number is nothing
 *   but a label, and `@startNumber="0"` makes ffmpeg start at the first
 *   segment without changing any URL for any other player.
 */
export function rewriteOfflineMpd(text: string, mpd: Mpd, options: OfflineMpdOptions = {}): OfflineMpd {
  const changes: string[] = [];
  const warnings = new WarningLog<DashgetWarningCode>();
  const downloaded = options.downloaded === undefined ? undefined : new Set(options.downloaded);
  const folders = new Set<string>();
  let result = rewriteReferences(text, mpd, { downloaded, changes, warnings, folders });
  result = renumberForFfmpeg(result, mpd, changes);
  return { text: result, changes, folders: [...folders].sort(), warnings: warnings.list() };
}

interface RewriteContext {
  downloaded: Set<string> | undefined;
  changes: string[];
  folders: Set<string>;
  warnings: WarningLog<DashgetWarningCode>;
}

/** Where relative references resolve in an element: online (the served URL space) and offline (under ROOT). */
interface Base {
  online: string;
  offline: string;
}

interface Edit {
  span: AttributeSpan;
  text: string;
}

/** References to rewrite: the attribute, and whether it is a template (`$...$` identifiers). */
const REFERENCES: Record<string, readonly (readonly [string, boolean])[]> = {
  SegmentTemplate: [
    ['media', true],
    ['initialization', true],
    ['index', true],
  ],
  SegmentURL: [
    ['media', false],
    ['index', false],
  ],
  Initialization: [['sourceURL', false]],
  RepresentationIndex: [['sourceURL', false]],
};

const MODE_ELEMENTS: Record<string, string> = {
  template: 'SegmentTemplate',
  list: 'SegmentList',
  base: 'SegmentBase',
};
const SEGMENT_ELEMENTS = new Set(Object.values(MODE_ELEMENTS));
const LEVELS = new Set(['Period', 'AdaptationSet', 'Representation']);

function rewriteReferences(text: string, mpd: Mpd, context: RewriteContext): string {
  const elements: XmlElement[] = [];
  const parents = new Map<XmlElement, XmlElement>();
  const walk = (element: XmlElement) => {
    elements.push(element);
    for (const child of element.children) {
      parents.set(child, element);
      walk(child);
    }
  };
  walk(mpd.element);
  const tags = scanStartTags(text);
  if (
    tags === undefined ||
    tags.length !== elements.length ||
    tags.some((tag, i) => tag.localName !== elements[i]?.localName)
  ) {
    context.warnings.add(
      DashgetWarningCode.OfflineUrlKept,
      'the manifest text could not be matched to its elements: saved as served',
    );
    return text;
  }
  const tagOf = new Map(elements.map((element, i) => [element, tags[i] as StartTag]));
  const edits: Edit[] = [];
  const bases = new Map<XmlElement, Base>();
  const kept = (message: string) => context.warnings.add(DashgetWarningCode.OfflineUrlKept, message);

  // BaseURL children come before the element's other children in the MPD schema; the visit reads them first too.
  const visit = (element: XmlElement, parent: Base) => {
    let base = parent;
    let first = true;
    // In the order the listing tries them (DVB-DASH @dvb:priority): the first one's folder is where the files went.
    for (const child of orderBaseUrls(element.children.filter((c) => c.localName === 'BaseURL'))) {
      const value = child.text.trim();
      if (!first) {
        // A fallback's files were saved where the first BaseURL's went: offline, it names the same folder.
        if (base !== parent && new URL(value, parent.offline).href !== base.offline) {
          const span = tagOf.get(child)?.content;
          if (span !== undefined) {
            const edit = relativeTo(parent.offline, base.offline);
            climbs(edit, parent.offline, context.folders);
            context.changes.push(`BaseURL ${shown(value)} (a fallback) -> ${edit}`);
            edits.push({ span, text: escapeXml(edit) });
          }
        }
        continue;
      }
      first = false;
      const resolved = URL.parse(value, parent.online);
      if (
        !resolved ||
        (resolved.protocol !== 'http:' && resolved.protocol !== 'https:' && resolved.protocol !== 'file:')
      ) {
        continue;
      }
      const local = localFolder(resolved.href, mpd.manifestUrl);
      if (local === undefined) continue;
      const wanted = new URL(local, ROOT).href;
      base = { online: resolved.href, offline: wanted };
      if (new URL(value, parent.offline).href === wanted) continue;
      const span = tagOf.get(child)?.content;
      if (span === undefined) {
        kept(`BaseURL ${shown(value)}: its text holds markup; kept as written`);
        base = { online: resolved.href, offline: URL.parse(value, parent.offline)?.href ?? parent.offline };
        continue;
      }
      const edit = relativeTo(parent.offline, wanted);
      climbs(edit, parent.offline, context.folders);
      context.changes.push(`BaseURL ${shown(value)} -> ${edit}`);
      edits.push({ span, text: escapeXml(edit) });
    }
    bases.set(element, base);
    for (const child of element.children) {
      if (child.localName !== 'BaseURL') visit(child, base);
    }
  };
  visit(mpd.element, {
    online: mpd.manifestUrl,
    offline: new URL(localPathFor(mpd.manifestUrl, mpd.manifestUrl), ROOT).href,
  });

  // Which Segment* element each Representation's segments come from (the model's choice of addressing mode).
  const modes = new Map<XmlElement, string>();
  for (const period of mpd.periods)
    for (const set of period.adaptationSets)
      for (const representation of set.representations)
        modes.set(representation.element, MODE_ELEMENTS[representation.segmentInfo.mode] ?? '');

  const counted = new Map<string, { count: number; first: string }>();
  for (const element of elements) {
    const references = REFERENCES[element.localName];
    if (references === undefined) continue;
    const segmentElement = element.localName === 'SegmentTemplate' ? element : parents.get(element);
    const level = segmentElement && parents.get(segmentElement);
    if (
      !segmentElement ||
      !level ||
      !SEGMENT_ELEMENTS.has(segmentElement.localName) ||
      !LEVELS.has(level.localName)
    )
      continue;
    for (const [attribute, template] of references) {
      const value = element.attributes[attribute];
      if (value === undefined) continue;
      const users = representationsUsing(level, segmentElement, element, attribute)
        .filter((representation) => modes.get(representation) === segmentElement.localName)
        .map((representation) => bases.get(representation))
        .filter((base) => base !== undefined);
      if (users.length === 0) continue;
      const label = `${element.localName}@${attribute}`;
      const outcome = rewriteReference(value, template, users, mpd.manifestUrl, context.downloaded);
      if (outcome === undefined) continue;
      if ('kept' in outcome) {
        kept(`${label} ${shown(value)}: ${outcome.kept}; kept as written`);
        continue;
      }
      const span = tagOf.get(element)?.attributes.get(attribute);
      if (span === undefined) {
        kept(`${label} ${shown(value)}: not found in the manifest text; kept as written`);
        continue;
      }
      edits.push({ span, text: escapeXml(outcome.value) });
      for (const base of users) climbs(outcome.value, base.offline, context.folders);
      const known = counted.get(label);
      if (known) known.count++;
      else counted.set(label, { count: 1, first: `${shown(value)} -> ${outcome.value}` });
    }
  }
  for (const [label, { count, first }] of counted) {
    context.changes.push(
      count === 1 ? `${label} ${first}` : `${label}: ${count} references, the first ${first}`,
    );
  }

  if (edits.length === 0) return text;
  edits.sort((a, b) => b.span.start - a.span.start);
  let result = text;
  for (const { span, text: replacement } of edits) {
    result = result.slice(0, span.start) + replacement + result.slice(span.end);
  }
  return result;
}

/**
 * The Representations under `level` that take `attribute` of `element`
 * (inside the Segment* element `segmentElement` of `level`): those with no
 * Segment* element of the same kind between them and `level` that sets it
 * again (23009-1 5.3.9.1: the lower level's value wins).
 */
function representationsUsing(
  level: XmlElement,
  segmentElement: XmlElement,
  element: XmlElement,
  attribute: string,
): XmlElement[] {
  const representations =
    level.localName === 'Representation'
      ? [level]
      : level.localName === 'AdaptationSet'
        ? level.children.filter((child) => child.localName === 'Representation')
        : level.children
            .filter((child) => child.localName === 'AdaptationSet')
            .flatMap((set) => [set, ...set.children.filter((child) => child.localName === 'Representation')]);
  const overrides = (lower: XmlElement) => {
    const same = lower.children.find((child) => child.localName === segmentElement.localName);
    if (!same || same === segmentElement) return false;
    if (element === segmentElement) return same.attributes[attribute] !== undefined;
    return same.children.some((child) => child.localName === element.localName);
  };
  // For a Period-level element the AdaptationSets came in the list too: a Representation is overridden by its own or its set's.
  const result: XmlElement[] = [];
  let setOverrides = false;
  for (const candidate of representations) {
    if (candidate.localName === 'AdaptationSet') {
      setOverrides = overrides(candidate);
      continue;
    }
    if (!setOverrides && !overrides(candidate)) result.push(candidate);
  }
  return result;
}

type Outcome = { value: string } | { kept: string } | undefined;

/**
 * The relative reference that names, from every one of `users`' offline
 * bases, the file (or, for a template, the files) saved for what `value`
 * names online; `undefined` when `value` already does.
 */
function rewriteReference(
  value: string,
  template: boolean,
  users: readonly Base[],
  manifestUrl: string,
  downloaded: Set<string> | undefined,
): Outcome {
  const identifiers: string[] = [];
  const masked = template
    ? value.replace(/\$[^$]*\$/g, (identifier) => `~dashget${identifiers.push(identifier) - 1}~`)
    : value;
  const wanted: string[] = [];
  let candidate: string | undefined;
  for (const base of users) {
    const resolved = URL.parse(masked, base.online);
    if (!resolved) return { kept: 'not a URL' };
    let local: string;
    try {
      local = localPathFor(resolved.href, manifestUrl);
    } catch {
      return { kept: `the ${resolved.protocol} URL is not saved (unsafe or another scheme)` };
    }
    if (downloaded && !wasDownloaded(resolved.href, template, downloaded)) return { kept: 'not downloaded' };
    if (!base.offline.startsWith(ROOT)) return { kept: 'its BaseURL is kept online' };
    const target = new URL(local, ROOT).href;
    wanted.push(target);
    if (URL.parse(masked, base.offline)?.href !== target) candidate ??= relativeTo(base.offline, target);
  }
  if (candidate === undefined) return undefined;
  const relative = candidate;
  if (users.some((base, i) => URL.parse(relative, base.offline)?.href !== wanted[i])) {
    return { kept: 'its Representations are saved under different folders' };
  }
  const placeholders = [...relative.matchAll(PLACEHOLDER)].map((match) => Number(match[1]));
  if (placeholders.length !== identifiers.length || placeholders.some((index, i) => index !== i)) {
    return { kept: 'its identifiers do not map onto the saved names' };
  }
  return { value: relative.replace(PLACEHOLDER, (_, index: string) => identifiers[Number(index)] as string) };
}

/** Whether `url` (a template's with placeholders: any value in their place) is one of the downloaded URLs. */
function wasDownloaded(url: string, template: boolean, downloaded: Set<string>): boolean {
  if (!template) return downloaded.has(url);
  const parts = url.split(PLACEHOLDER).filter((_, i) => i % 2 === 0);
  if (parts.length === 1) return downloaded.has(url);
  const pattern = new RegExp(
    `^${parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?')}$`,
  );
  for (const candidate of downloaded) if (pattern.test(candidate)) return true;
  return false;
}

/** Records the folder of `base` (and those above it that `reference` climbs through) when `reference` starts with `../`. */
function climbs(reference: string, base: string, folders: Set<string>): void {
  if (!reference.startsWith('../') || !base.startsWith(ROOT)) return;
  const folder = new URL('.', base).href.slice(ROOT.length).replace(/\/$/, '');
  if (folder !== '') folders.add(folder);
}

/** The folder (ending in `/`) or file that `url` is saved as, relative to the output directory. */
function localFolder(url: string, manifestUrl: string): string | undefined {
  try {
    if (url.endsWith('/')) return localPathFor(new URL('x', url).href, manifestUrl).slice(0, -1);
    return localPathFor(url, manifestUrl);
  } catch {
    return undefined;
  }
}

/** `target` relative to the directory of `base` (both under ROOT). */
function relativeTo(base: string, target: string): string {
  const from = new URL('.', base).pathname.split('/').slice(1, -1);
  const to = new URL(target).pathname.split('/').slice(1);
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.slice(common).map(() => '..');
  const relative = [...up, ...to.slice(common)].join('/');
  return relative === '' ? './' : relative;
}

function renumberForFfmpeg(text: string, mpd: Mpd, changes: string[]): string {
  const templates: XmlElement[] = [];
  const lists: XmlElement[] = [];
  const walk = (element: XmlElement) => {
    if (element.localName === 'SegmentTemplate') templates.push(element);
    if (element.localName === 'SegmentList') lists.push(element);
    for (const child of element.children) walk(child);
  };
  walk(mpd.element);
  const numbered = templates.some((template) =>
    ['media', 'initialization', 'index'].some((name) => /\$Number[%$]/.test(template.attributes[name] ?? '')),
  );
  const renumber = (element: XmlElement) =>
    !numbered &&
    (element.localName === 'SegmentList' ||
      element.children.some((child) => child.localName === 'SegmentTimeline')) &&
    (element.attributes.startNumber ?? '1') !== '0';
  const edits = new Map<string, boolean[]>([
    ['SegmentTemplate', templates.map(renumber)],
    ['SegmentList', lists.map(renumber)],
  ]);
  if (![...edits.values()].some((list) => list.some(Boolean))) return text;
  const seen = new Map<string, number>();
  const pattern = /<((?:[\w.-]+:)?(SegmentTemplate|SegmentList))\b([^>]*?)(\/?)>/g;
  const counts = { SegmentTemplate: 0, SegmentList: 0 } as Record<string, number>;
  for (const match of text.matchAll(pattern))
    counts[match[2] as string] = (counts[match[2] as string] ?? 0) + 1;
  if (counts.SegmentTemplate !== templates.length || counts.SegmentList !== lists.length) return text;
  let renumbered = 0;
  const result = text.replace(
    pattern,
    (whole, name: string, local: string, attributes: string, slash: string) => {
      const index = seen.get(local) ?? 0;
      seen.set(local, index + 1);
      if (!edits.get(local)?.[index]) return whole;
      renumbered++;
      const updated = /\bstartNumber\s*=\s*(["'])[^"']*\1/.test(attributes)
        ? attributes.replace(/\bstartNumber\s*=\s*(["'])[^"']*\1/, 'startNumber="0"')
        : `${attributes} startNumber="0"`;
      return `<${name}${updated}${slash}>`;
    },
  );
  changes.push(
    `startNumber="0" on ${renumbered} SegmentTimeline/SegmentList element(s) (no URL uses $Number$; ffmpeg skips the first segment otherwise)`,
  );
  return result;
}

/** Escaped for element text and for an attribute value in either quotes (XML 1.0 2.4, 3.3.3). */
function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function shown(url: string): string {
  return url.split(/[?#]/)[0] ?? '';
}
