import { join } from 'node:path';
import { invalidOption } from '@rec/core';
import type { Segment } from '../types/Segment.js';

/**
 * Where a downloaded segment goes: `<dir>/<kind>/<file name>` (the key's last
 * part). Flat per kind, because epochs make file names unique and the
 * recorder reads a kind's files in order; a key never chooses a path outside
 * `dir`: names `.`/`..` or with backslashes or NUL are refused (listings never
 * yield them, so such a segment is the caller's mistake: a `TypeError`).
 */
export function segmentPath(dir: string, segment: Segment): string {
  const name = segment.key.slice(segment.key.lastIndexOf('/') + 1);
  if (name === '' || name === '.' || name === '..' || name.includes('\\') || name.includes('\0')) {
    throw invalidOption('segment.key', 'a key whose last part is a usable file name', segment.key);
  }
  return join(dir, segment.kind, name);
}
