import { MpdError } from '../MpdError.js';

/** Characters no file name may hold on Windows, macOS or Linux, plus `%` (kept reversible). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const unsafeInName = /[%<>:"|?*\\\u0000-\u001f\u007f]/g;
const reservedOnWindows = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$/i;
const MAX_NAME = 200;

/**
 * Where a segment (or the manifest) is saved under an output directory,
 * mirroring the URL layout relative to the manifest's directory: a URL
 * under that directory maps to its path there (`video/seg-1.m4s`); any
 * other (another host, an absolute BaseURL elsewhere, `/abs/path`) under a
 * folder named after its host (`cdn.example.com_8443/abs/path/seg-1.m4s`).
 * Path segments are kept as the URL writes them (percent-encoded), so the
 * saved MPD's references still name the files; characters unsafe in file
 * names (and a query string, after `%3F`) are percent-encoded.
 *
 * Returns a relative path with `/` separators that never leaves the output
 * directory: only http(s) URLs are accepted (file: only under a file:
 * manifest's own directory), and dot segments, encoded or not, are resolved
 * by the URL parser before mapping, so no `..` or absolute path can come
 * out. Anything else is an `MPD_UNSAFE_URL` `MpdError`.
 */
export function localPathFor(url: string, manifestUrl: string): string {
  const manifest = URL.parse(manifestUrl);
  const target = URL.parse(url, manifestUrl);
  if (manifest === null) throw unsafe(manifestUrl, 'the manifest URL does not parse');
  if (target === null) throw unsafe(url, 'not a URL');
  const web = target.protocol === 'http:' || target.protocol === 'https:';
  const manifestDirectory = manifest.pathname.slice(0, manifest.pathname.lastIndexOf('/') + 1);
  const underManifest =
    target.protocol === manifest.protocol &&
    target.host === manifest.host &&
    target.pathname.startsWith(manifestDirectory);
  if (!web && !(target.protocol === 'file:' && manifest.protocol === 'file:' && underManifest)) {
    throw unsafe(
      url,
      `the ${target.protocol} scheme is refused (only http and https, or file: beside a file: manifest)`,
    );
  }

  const relative = underManifest ? target.pathname.slice(manifestDirectory.length) : target.pathname.slice(1);
  const segments = relative.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || target.pathname.endsWith('/'))
    throw unsafe(url, 'it names a directory, not a file');
  for (const segment of segments) {
    if (/^(?:\.|%2e){1,2}$/i.test(segment)) throw unsafe(url, 'a dot segment');
  }
  if (target.search) segments.push(`${segments.pop()}%3F${target.search.slice(1)}`);
  const names = segments.map(fileName);
  if (!underManifest)
    names.unshift(fileName(target.port ? `${target.hostname}_${target.port}` : target.hostname));
  return names.join('/');
}

function fileName(segment: string): string {
  let name = segment.replace(
    unsafeInName,
    (char) =>
      // A '%' that starts an escape stays: the name is the URL's text.
      `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  name = name.replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
  if (reservedOnWindows.test(name))
    name = `%${name.charCodeAt(0).toString(16).toUpperCase()}${name.slice(1)}`;
  if (/[. ]$/.test(name))
    name = `${name.slice(0, -1)}%${name
      .charCodeAt(name.length - 1)
      .toString(16)
      .toUpperCase()}`;
  if (name.length > MAX_NAME) name = `${name.slice(0, MAX_NAME - 9)}~${hash(name)}`;
  return name;
}

/** 8 hex digits of FNV-1a: keeps long names distinct once cut. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value.toString(16).padStart(8, '0');
}

function unsafe(url: string, reason: string): MpdError {
  // The query may carry tokens: never in messages.
  const shown = url.split(/[?#]/)[0] ?? '';
  return new MpdError(
    'MPD_UNSAFE_URL',
    `${reason}: ${shown.length > 120 ? `${shown.slice(0, 117)}...` : shown}`,
    {
      path: '',
    },
  );
}
