import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Segment } from '../types/Segment.js';

/** A local root given as a path or a `file://` URL, as an absolute path. */
export function localRoot(root: string | URL): string {
  if (root instanceof URL) return fileURLToPath(root);
  return root.startsWith('file:') ? fileURLToPath(root) : resolve(root);
}

/** The readable path of a segment listed from a local root (its key is relative to the root). */
export function localPath(root: string | URL, segment: Pick<Segment, 'key'>): string {
  return join(localRoot(root), ...segment.key.split('/'));
}
