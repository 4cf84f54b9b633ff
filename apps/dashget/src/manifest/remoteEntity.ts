import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { localPathFor } from '@rec/mpd';

/**
 * A `resolveXlinks` loader's rule: a remote element entity is read where
 * the manifest is, http(s) for an http(s) manifest, `file:` only for a
 * local one and inside its directory (the rule segments follow), so a
 * served manifest can never make dashget read a local file (and write it
 * into the saved MPD).
 */
export function checkEntityUrl(url: string, manifestUrl: string): void {
  const local = manifestUrl.startsWith('file:');
  const scheme = url.slice(0, url.indexOf(':') + 1);
  if (scheme !== 'http:' && scheme !== 'https:' && !(local && scheme === 'file:')) {
    throw new Error(
      `${scheme || 'a URL without a scheme'} is not read for a ${local ? 'local' : 'served'} manifest`,
    );
  }
  // Outside the local manifest's directory: MPD_UNSAFE_URL, as for a segment.
  if (scheme === 'file:') localPathFor(url, manifestUrl);
}

/** The entity at a `file:` URL (a local manifest's remote elements). */
export function readLocalEntity(url: string): Promise<Uint8Array> {
  return readFile(fileURLToPath(url));
}
