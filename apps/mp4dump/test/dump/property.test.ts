/**
 * Mutated fixtures through the whole dump (STYLE.md: property-based tests
 * for parsers fed mutated bytes): whatever the bytes, dumpSource ends with
 * a result, its only failure a BoxParseError in `error`, never a thrown
 * exception, in every mode and format; the JSON stays valid JSON.
 */
import { readFileSync } from 'node:fs';
import { bytesSource } from '@rec/core';
import { BoxParseError } from '@rec/fmp4-boxes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpSource } from '../../src/dump/index.js';
import { fixturePath } from './helpers/fixtures.js';

const inputs = ['06-dash_init-0.m4s', '06-dash_seg-0-00001.m4s', '11-opus.mp4', '03-fragmented.mp4'].map(
  (name) => new Uint8Array(readFileSync(fixturePath(name))),
);
const edgeWord = fc.constantFrom(0, 1, 7, 8, 9, 15, 16, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0);

type Mutation = { kind: 'byte' | 'word'; at: number; value: number } | { kind: 'cut'; at: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('word' as const), at: fc.nat(), value: fc.oneof(edgeWord, fc.nat()) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = input.slice();
  for (const m of mutations) {
    const at = m.at % Math.max(1, bytes.length);
    if (m.kind === 'byte') bytes[at] = m.value;
    else if (m.kind === 'word' && at + 4 <= bytes.length)
      new DataView(bytes.buffer).setUint32(at, m.value >>> 0);
    else if (m.kind === 'cut') bytes = bytes.slice(0, at);
  }
  return bytes;
}

const seed = process.env.FC_SEED === undefined ? (Math.random() * 2 ** 32) | 0 : Number(process.env.FC_SEED);

describe('dumpSource on mutated bytes', () => {
  it('returns a result (an error only as a BoxParseError), in bounded time, in every mode', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: inputs.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 1, 2, 3),
        fc.constantFrom('text', 'json'),
        fc.boolean(),
        async (which, mutations, verbosity, format, bento4) => {
          const bytes = mutate(inputs[which]!, mutations);
          let text = '';
          const started = performance.now();
          const result = await dumpSource(
            bytesSource(bytes),
            (chunk) => {
              text += chunk;
            },
            { verbosity: verbosity as 0, format: format as 'text', bento4, offsets: true },
          );
          expect(performance.now() - started).toBeLessThan(2000);
          if (result.error !== undefined) expect(result.error).toBeInstanceOf(BoxParseError);
          if (format === 'json') expect(() => JSON.parse(text)).not.toThrow();
          // The output is about as large as the input describes (plus at most 4096 empty run entries), never unbounded.
          expect(text.length).toBeLessThan(64 * bytes.length + 256 * 1024);
        },
      ),
      { numRuns: 400, seed },
    );
  });
});
