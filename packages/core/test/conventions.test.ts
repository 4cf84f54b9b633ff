import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  backoffDelay,
  bytesSource,
  expectInteger,
  expectNumber,
  expectOneOf,
  invalidOption,
  isRecError,
  makeProgress,
  type Progress,
  RecError,
  sleep,
  WarningLog,
} from '../src/index.js';

describe('RecError', () => {
  class BoxError extends RecError<'BOX_TRUNCATED'> {
    override readonly name = 'BoxError';
  }

  it('carries name, code and cause', () => {
    const cause = new Error('underlying');
    const error = new BoxError('BOX_TRUNCATED', 'moov at 0x10: needs 8 bytes, 2 left', { cause });
    expect(error).toBeInstanceOf(RecError);
    expect(error).toBeInstanceOf(Error);
    expect(isRecError(error)).toBe(true);
    expect(isRecError(new Error('x'))).toBe(false);
    expect(error.name).toBe('BoxError');
    expect(error.code).toBe('BOX_TRUNCATED');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('BoxError: moov at 0x10: needs 8 bytes, 2 left');
    expect('cause' in new BoxError('BOX_TRUNCATED', 'x')).toBe(false);
  });
});

describe('option errors', () => {
  it('say the option, what was expected and what was received, as a TypeError', () => {
    expect(() => expectInteger('concurrency', 0, 1)).toThrow(
      new TypeError('Expected `concurrency` to be an integer from 1 and up, got `0` (number)'),
    );
    expect(() => expectInteger('retries', 2.5, 0, 10)).toThrow(
      'Expected `retries` to be an integer from 0 to 10, got `2.5` (number)',
    );
    expect(() => expectNumber('pad', Number.NaN, 0)).toThrow(
      'Expected `pad` to be a finite number from 0 and up, got `NaN` (number)',
    );
    expect(() => expectOneOf('format', 'mkv', ['mp4', 'ts'])).toThrow(
      'Expected `format` to be one of `mp4`, `ts`, got `"mkv"` (string)',
    );
    expect(invalidOption('start', 'an instant', undefined).message).toBe(
      'Expected `start` to be an instant, got `undefined`',
    );
    expect(expectInteger('concurrency', 8, 1)).toBe(8);
  });
});

describe('Progress', () => {
  it('has percent in [0, 1] when the total is known', () => {
    expect(makeProgress(5, 10, 'bytes')).toEqual({ transferred: 5, total: 10, percent: 0.5, unit: 'bytes' });
    expect(makeProgress(12, 10, 'seconds').percent).toBe(1);
    expect(makeProgress(0, 0, 'files').percent).toBe(1);
    expect(makeProgress(3, undefined, 'keys')).toEqual({ transferred: 3, unit: 'keys' });
    expectTypeOf(makeProgress(1, 2, 'bytes')).toEqualTypeOf<Progress>();
  });
});

describe('WarningLog', () => {
  it('counts each kind once, keeps the first message and source, and tells the listener once', () => {
    const heard: string[] = [];
    const log = new WarningLog<'TS_CONTINUITY' | 'WAV_TRUNCATED'>((warning) => heard.push(warning.code));
    expect(log.add('TS_CONTINUITY', 'first', { source: 'a.ts' })).toBe(true);
    expect(log.add('TS_CONTINUITY', 'second', { count: 2 })).toBe(false);
    log.merge([{ code: 'WAV_TRUNCATED', message: 'short', count: 3 }]);
    expect(log.list()).toEqual([
      { code: 'TS_CONTINUITY', message: 'first', count: 3, source: 'a.ts' },
      { code: 'WAV_TRUNCATED', message: 'short', count: 3 },
    ]);
    expect(heard).toEqual(['TS_CONTINUITY', 'WAV_TRUNCATED']);
  });
});

describe('bytesSource', () => {
  it('reads ranges as views, clamped to the size', async () => {
    const source = bytesSource(Uint8Array.from([1, 2, 3, 4, 5]), 'mem');
    expect(await source.size()).toBe(5);
    expect([...(await source.read(1, 3))]).toEqual([2, 3]);
    expect([...(await source.read(3, 99))]).toEqual([4, 5]);
    expect((await source.read(4, 2)).length).toBe(0);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(source.read(0, 1, controller.signal)).rejects.toThrow('stop');
  });
});

describe('backoff', () => {
  it('doubles the ceiling per attempt up to the cap, with full jitter', () => {
    const top = () => 0.999_999;
    expect(backoffDelay(0, { base: 100, random: top })).toBeCloseTo(100, 2);
    expect(backoffDelay(3, { base: 100, random: top })).toBeCloseTo(800, 2);
    expect(backoffDelay(20, { base: 100, cap: 5_000, random: top })).toBeCloseTo(5_000, 1);
    expect(backoffDelay(5, { base: 100, random: () => 0 })).toBe(0);
  });

  it('sleeps, or rejects with the signal reason at once and removes its listener', async () => {
    await sleep(1);
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const started = performance.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(reason), 5);
    await expect(waiting).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(sleep(1, controller.signal)).rejects.toBe(reason);
  });
});
