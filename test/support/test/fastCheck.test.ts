import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcParameters } from '../src/index.js';

describe('fcParameters', () => {
  it('a failing property says its seed and path, and FC_SEED / FC_PATH replay it', () => {
    const failing = fc.property(fc.integer(), (n) => n < 1000);
    let message = '';
    try {
      fc.assert(failing, fcParameters(100, { FC_SEED: '42' }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/seed: 42, path: "[\d:]+"/);
    const path = /FC_PATH=([\d:]+)/.exec(message)?.[1];
    expect(message).toContain(`Replay with FC_SEED=42 FC_PATH=${path}`);
    expect(message).toContain('Counterexample: [1000]');
    // Replaying the path runs the shrunk counterexample alone.
    const seen: number[] = [];
    const replayed = fc.property(fc.integer(), (n) => {
      seen.push(n);
      return n < 1000;
    });
    expect(() => fc.assert(replayed, fcParameters(100, { FC_SEED: '42', FC_PATH: path }))).toThrow(
      /Counterexample: \[1000\]/,
    );
    expect(seen[0]).toBe(1000);
  });

  it('takes FC_RUNS as the run count, and refuses one that is not a count', () => {
    let runs = 0;
    fc.assert(
      fc.property(fc.integer(), () => {
        runs++;
      }),
      fcParameters(100, { FC_SEED: '1', FC_RUNS: '7' }),
    );
    expect(runs).toBe(7);
    expect(() => fcParameters(100, { FC_RUNS: 'many' })).toThrow(
      'FC_RUNS must be an integer from 1 and up, got many',
    );
    expect(() => fcParameters(100, { FC_SEED: 'x' })).toThrow('FC_SEED must be an integer, got x');
  });
});
