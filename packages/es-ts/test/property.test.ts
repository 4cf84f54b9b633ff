import { readFile } from 'node:fs/promises';
import { fcParameters, makeTempDir, type TempDir, testVideoEncoder } from '@rec/test-support';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Codec, EsParseError, muxElementaryStream, parseAccessUnits } from '../src/index.js';
import { DEFAULT_SCENECUT, MIN_KEYINT_AUTO } from './helpers/encoderDefaults.js';
import { makeTruth } from './helpers/truth.js';

// Random and mutated input: the only exception allowed is EsParseError, every
// run ends quickly, and whatever is produced is whole 188-byte TS packets.

let tmp: TempDir;
const real: Record<Codec, Uint8Array> = { h264: new Uint8Array(0), hevc: new Uint8Array(0) };

beforeAll(async () => {
  tmp = await makeTempDir('es-ts-prop-');
  const [h264, hevc] = await Promise.all([
    makeTruth(tmp.path, 'p264', {
      codec: 'h264',
      seconds: 0.6,
      // `-s` scales testsrc2's 320x180 down (testsrc2 drawn at 64x48 would be other pictures).
      encoder: [
        ...testVideoEncoder({ gop: 5, bframes: 3, slices: 2, params: [MIN_KEYINT_AUTO, DEFAULT_SCENECUT] }),
        ...['-s', '64x48'],
      ],
    }),
    makeTruth(tmp.path, 'p265', {
      codec: 'hevc',
      seconds: 0.6,
      encoder: [
        ...testVideoEncoder({
          codec: 'hevc',
          preset: 'fast',
          gop: 5,
          bframes: 3,
          openGop: true,
          params: [MIN_KEYINT_AUTO, DEFAULT_SCENECUT],
        }),
        ...['-s', '64x48'],
      ],
    }),
  ]);
  real.h264 = await readFile(h264.es);
  real.hevc = await readFile(hevc.es);
});
afterAll(async () => {
  await tmp?.remove();
});

const TIME_LIMIT_MS = 2000;

/** Muxes `data` in chunks of `chunk` bytes; returns the TS length, or the EsParseError. */
async function mux(data: Uint8Array, codec: Codec, chunk: number): Promise<number | EsParseError> {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += chunk) chunks.push(data.subarray(i, i + chunk));
  const started = performance.now();
  try {
    const { packets, result } = muxElementaryStream(chunks, { codec });
    let bytes = 0;
    for await (const p of packets) {
      expect(p.length % 188).toBe(0);
      for (let i = 0; i < p.length; i += 188) expect(p[i]).toBe(0x47);
      bytes += p.length;
    }
    const r = await result;
    expect(r.bytesOut).toBe(bytes);
    return bytes;
  } catch (error) {
    if (!(error instanceof EsParseError)) throw error;
    expect(typeof error.code).toBe('string');
    expect(Number.isInteger(error.offset)).toBe(true);
    return error;
  } finally {
    expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
  }
}

type Mutation = { kind: 'flip' | 'insert' | 'delete' | 'zero'; at: number; value: number; length: number };
const mutation = fc.record({
  kind: fc.constantFrom('flip', 'insert', 'delete', 'zero') as fc.Arbitrary<Mutation['kind']>,
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  value: fc.integer({ min: 0, max: 255 }),
  length: fc.integer({ min: 1, max: 40 }),
});

function mutate(source: Uint8Array, mutations: Mutation[]): Uint8Array {
  let data = Uint8Array.from(source);
  for (const m of mutations) {
    const at = Math.floor(m.at * data.length);
    if (m.kind === 'flip') data[at] = (data[at] ?? 0) ^ (m.value || 1);
    else if (m.kind === 'zero') data.fill(0, at, at + m.length);
    else if (m.kind === 'insert') {
      const next = new Uint8Array(data.length + m.length).fill(m.value);
      next.set(data.subarray(0, at));
      next.set(data.subarray(at), at + m.length);
      data = next;
    } else data = Uint8Array.from([...data.subarray(0, at), ...data.subarray(at + m.length)]);
  }
  return data;
}

describe('property: arbitrary input never crashes, hangs or yields partial packets', () => {
  it('random bytes (with sprinkled start codes)', async () => {
    const withStartCodes = fc
      .array(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.constant(Uint8Array.of(0, 0, 1)),
          fc.constant(Uint8Array.of(0, 0, 0, 1)),
        ),
        { maxLength: 40 },
      )
      .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 3000 }), withStartCodes),
        fc.constantFrom<Codec>('h264', 'hevc'),
        fc.integer({ min: 1, max: 4096 }),
        async (data, codec, chunk) => {
          await mux(data, codec, chunk);
        },
      ),
      fcParameters(200),
    );
  });

  for (const codec of ['h264', 'hevc'] as const) {
    it(`mutated ${codec} streams (flipped, inserted, deleted, zeroed bytes)`, async () => {
      let produced = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(mutation, { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 100, max: 20_000 }),
          async (mutations, chunk) => {
            const result = await mux(mutate(real[codec], mutations), codec, chunk);
            if (typeof result === 'number') produced++;
          },
        ),
        fcParameters(150),
      );
      // Most mutations leave something worth muxing: the parser is lenient where it can be.
      expect(produced).toBeGreaterThan(20);
    });
  }

  it('one reused input buffer and writeTo give the bytes (or the error) of fresh chunks, on mutated streams', async () => {
    /** The muxed TS, or the error code: through `packets` with fresh chunks, or `writeTo` with one reused buffer. */
    async function run(data: Uint8Array, codec: Codec, chunk: number, reuse: boolean) {
      const parts: Uint8Array[] = [];
      try {
        if (!reuse) {
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < data.length; i += chunk) chunks.push(data.slice(i, i + chunk));
          for await (const p of muxElementaryStream(chunks, { codec }).packets) parts.push(p.slice());
        } else {
          const buffer = new Uint8Array(chunk);
          async function* reused() {
            for (let i = 0; i < data.length; i += chunk) {
              const piece = data.subarray(i, i + chunk);
              buffer.fill(0xa5); // stale bytes must never leak into the output
              buffer.set(piece);
              yield buffer.subarray(0, piece.length);
            }
          }
          await muxElementaryStream(reused(), { codec }).writeTo({
            write: async (bytes) => {
              parts.push(bytes.slice());
            },
          });
        }
        return Buffer.concat(parts).toString('hex');
      } catch (error) {
        if (!(error instanceof EsParseError)) throw error;
        return `error ${error.code}`;
      }
    }
    for (const codec of ['h264', 'hevc'] as const) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(mutation, { maxLength: 4 }),
          fc.integer({ min: 50, max: 8000 }),
          async (mutations, chunk) => {
            const data = mutate(real[codec], mutations);
            expect(await run(data, codec, chunk, true)).toBe(await run(data, codec, chunk, false));
          },
        ),
        fcParameters(40),
      );
    }
  });

  it('parseAccessUnits yields access units with dts <= pts on mutated streams', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        try {
          for await (const au of parseAccessUnits([mutate(real.h264, mutations)], { codec: 'h264' })) {
            expect(au.dts).toBeLessThanOrEqual(au.pts);
            expect(Number.isInteger(au.pts) && Number.isInteger(au.dts)).toBe(true);
          }
        } catch (error) {
          if (!(error instanceof EsParseError)) throw error;
        }
      }),
      fcParameters(100),
    );
  });
});
