import type { Box } from '../Box.js';

/**
 * A box to write, built by hand: the header properties the writer needs
 * (`type`; 8-byte header) and the fields of its decoder. Offsets and sizes
 * are computed when written.
 */
export function makeBox<B extends Box>(type: string, fields: Omit<B, keyof Box>, children?: Box[]): B {
  const box = { type, offset: 0, size: 0, headerSize: 8, path: type, depth: 0, ...fields } as B;
  if (children !== undefined) box.children = children;
  return box;
}
