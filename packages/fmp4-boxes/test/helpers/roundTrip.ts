import { expect } from 'vitest';
import { encodeBoxes, parseBoxes } from '../../src/index.js';

/** Reads `bytes` and writes them back: the same bytes (mdat payloads taken from the original). */
export function expectRoundTrip(bytes: Uint8Array): void {
  const written = encodeBoxes(parseBoxes(bytes), { original: bytes });
  expect(Buffer.from(written).equals(Buffer.from(bytes)), 'written back as read').toBe(true);
}
