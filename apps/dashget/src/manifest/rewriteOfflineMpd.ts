import { localPathFor, type Mpd, type XmlElement } from '@rec/mpd';

export interface OfflineMpd {
  /** The manifest text to save beside the downloaded files. */
  text: string;
  /** What was changed, one line each (empty: the manifest is saved as served). */
  changes: string[];
}

/** Where the output directory sits in the offline URL space, to resolve BaseURLs against. */
const ROOT = 'file:///dashget-root/';

/**
 * The manifest text rewritten, only where needed, to play from the output
 * directory (the files saved at `localPathFor(url)`), edited in place so
 * that everything else stays as served:
 *
 * - a `BaseURL` whose files are saved elsewhere than where it points once
 *   relative to the saved manifest (an absolute BaseURL, another host, a
 *   `../` above the manifest's directory) is replaced by the relative path
 *   of the folder they are saved in;
 * - ffmpeg (5.1 and earlier) starts a SegmentTimeline or a SegmentList at
 *   the entry numbered `@startNumber` counted from 0, so it skips the first
 *   segment when `@startNumber` is 1 (measured: 8 s of a 10 s timeline MPD
 *   it wrote itself). Where no URL uses `$Number$`, the number is nothing
 *   but a label, and `@startNumber="0"` makes ffmpeg start at the first
 *   segment without changing any URL for any other player.
 */
export function rewriteOfflineMpd(text: string, mpd: Mpd): OfflineMpd {
  const changes: string[] = [];
  let result = rewriteBaseUrls(text, mpd, changes);
  result = renumberForFfmpeg(result, mpd, changes);
  return { text: result, changes };
}

interface BaseUrlEdit {
  /** Replacement text (XML-escaped already), or undefined to keep. */
  text: string | undefined;
}

function rewriteBaseUrls(text: string, mpd: Mpd, changes: string[]): string {
  const edits: BaseUrlEdit[] = [];
  // Document order: the same order the regular expression below meets the BaseURL elements in.
  const visit = (element: XmlElement, online: string, offline: string) => {
    let nextOnline = online;
    let nextOffline = offline;
    let first = true;
    for (const child of element.children) {
      if (child.localName !== 'BaseURL') continue;
      const value = child.text.trim();
      const resolved = URL.parse(value, online);
      let edit: string | undefined;
      if (
        first &&
        resolved &&
        (resolved.protocol === 'http:' || resolved.protocol === 'https:' || resolved.protocol === 'file:')
      ) {
        const local = localFolder(resolved.href, mpd.manifestUrl);
        if (local !== undefined) {
          const wanted = new URL(local, ROOT).href;
          if (new URL(value, offline).href !== wanted) {
            edit = relativeTo(offline, wanted);
            changes.push(`BaseURL ${shown(value)} -> ${edit}`);
          }
          nextOnline = resolved.href;
          nextOffline = wanted;
        }
      }
      first = false;
      edits.push({ text: edit === undefined ? undefined : escapeXml(edit) });
    }
    for (const child of element.children) {
      if (child.localName === 'BaseURL') continue;
      visit(child, nextOnline, nextOffline);
    }
  };
  // BaseURL children come before the element's other children in the MPD schema; the visit lists them first too.
  visit(mpd.element, mpd.manifestUrl, new URL(localPathFor(mpd.manifestUrl, mpd.manifestUrl), ROOT).href);
  if (edits.every((edit) => edit.text === undefined)) return text;
  let index = 0;
  const pattern = /(<(?:[\w.-]+:)?BaseURL\b[^>]*>)([\s\S]*?)(<\/(?:[\w.-]+:)?BaseURL\s*>)/g;
  const matches = [...text.matchAll(pattern)];
  if (matches.length !== edits.length) return text;
  return text.replace(pattern, (whole, open: string, _inner: string, close: string) => {
    const edit = edits[index++];
    return edit?.text === undefined ? whole : `${open}${edit.text}${close}`;
  });
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

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function shown(url: string): string {
  return url.split(/[?#]/)[0] ?? '';
}
