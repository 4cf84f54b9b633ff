/**
 * Mutated fixtures (STYLE.md: property-based tests for parsers fed random
 * and mutated bytes): whatever the bytes, parsing ends, quickly, with
 * boxes or a BoxParseError, never another exception, and never allocates
 * more than the input could describe.
 */
import { bytesSource } from '@rec/core';
import { fcParameters } from '@rec/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoxParseError, encodeBoxes, parseBoxes, readBoxes } from '../src/index.js';
import { fixtureBytes, fixtures } from './helpers/bento4.js';

const inputs = fixtures.map((name) => fixtureBytes(name));
// Small files keep runs fast: the moov of 01 and the init and media segments of 06.
const moov = parseBoxes(inputs[0]!, { maxDepth: 0 }).find((b) => b.type === 'moov')!;
const small = [inputs[2]!, inputs[3]!, inputs[0]!.subarray(moov.offset)];

/** Values that stress size and count fields. */
const edgeWord = fc.constantFrom(0, 1, 7, 8, 9, 15, 16, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0);

type Mutation =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'word'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'delete'; at: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('word' as const), at: fc.nat(), value: fc.oneof(edgeWord, fc.nat()) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
);

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = input.slice();
  for (const m of mutations) {
    const at = m.at % Math.max(1, bytes.length);
    if (m.kind === 'byte') bytes[at] = m.value;
    else if (m.kind === 'word' && at + 4 <= bytes.length)
      new DataView(bytes.buffer).setUint32(at, m.value >>> 0);
    else if (m.kind === 'cut') bytes = bytes.slice(0, at);
    else if (m.kind === 'delete')
      bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + m.count)]);
  }
  return bytes;
}

/** Mutations aimed at box headers: the size and type words at the offsets of real boxes. */
const headerOffsets = small.map((bytes) => {
  const offsets: number[] = [];
  const walk = (list: ReturnType<typeof parseBoxes>, base: number) => {
    for (const b of list) {
      offsets.push(b.offset - base, b.offset - base + 8);
      walk(b.children ?? [], base);
    }
  };
  walk(parseBoxes(bytes), 0);
  return offsets;
});

const expectOnlyBoxErrors = (run: () => void) => {
  try {
    run();
  } catch (error) {
    if (!(error instanceof BoxParseError)) throw error;
  }
};

describe('mutated bytes', () => {
  it('parseBoxes returns boxes or throws BoxParseError, in bounded time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: small.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), edgeWord), { maxLength: 4 }),
        (which, mutations, headerHits) => {
          const offsets = headerOffsets[which]!;
          const aimed = headerHits.map(([i, value]) => ({
            kind: 'word' as const,
            at: offsets[i % offsets.length]!,
            value,
          }));
          const bytes = mutate(small[which]!, [...aimed, ...mutations]);
          const started = performance.now();
          expectOnlyBoxErrors(() => parseBoxes(bytes));
          expect(performance.now() - started).toBeLessThan(1000);
        },
      ),
      fcParameters(1500),
    );
  });

  it('readBoxes yields boxes, then at most one BoxParseError, in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (which, mutations) => {
          const bytes = mutate(inputs[which]!, mutations);
          const started = performance.now();
          try {
            for await (const _ of readBoxes(bytesSource(bytes))) {
              // walk everything
            }
          } catch (error) {
            if (!(error instanceof BoxParseError)) throw error;
            expect(error.offset).toBeGreaterThanOrEqual(0);
          }
          expect(performance.now() - started).toBeLessThan(2000);
        },
      ),
      fcParameters(200),
    );
  });

  it('what parses writes back and parses again to the same boxes', () => {
    const strip = (boxes: unknown) =>
      JSON.stringify(boxes, (key, value) =>
        key === 'offset' || key === 'size' || key === 'path' || key === 'trailing'
          ? undefined
          : typeof value === 'bigint'
            ? String(value)
            : ArrayBuffer.isView(value)
              ? [...(value as Uint8Array)]
              : value,
      );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: small.length - 1 }),
        fc.array(
          fc.record({
            kind: fc.constant('byte' as const),
            at: fc.nat(),
            value: fc.integer({ min: 0, max: 255 }),
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (which, mutations) => {
          const bytes = mutate(small[which]!, mutations);
          let boxes: ReturnType<typeof parseBoxes>;
          try {
            boxes = parseBoxes(bytes);
          } catch (error) {
            if (error instanceof BoxParseError) return;
            throw error;
          }
          const again = parseBoxes(encodeBoxes(boxes, { original: bytes }));
          expect(strip(again)).toBe(strip(boxes));
        },
      ),
      fcParameters(500),
    );
  });

  it('random bytes: the same', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => expectOnlyBoxErrors(() => parseBoxes(bytes))),
      fcParameters(2000),
    );
  });
});
