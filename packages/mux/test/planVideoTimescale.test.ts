import { TS_CLOCK } from '@rec/es-ts';
import { describe, expect, it } from 'vitest';
import { MP4_MAX_SAMPLE_DELTA, planVideoTimescale } from '../src/output/planVideoTimescale.js';

describe('planVideoTimescale', () => {
  it('keeps 90 kHz while every hole fits one MP4 sample, then the largest frame-friendly divisor', () => {
    expect(planVideoTimescale(3600)).toBe(TS_CLOCK);
    expect(planVideoTimescale(23_000)).toBe(TS_CLOCK);
    expect(planVideoTimescale(23_902)).toBe(45_000);
    expect(planVideoTimescale(3 * 86_400)).toBe(7500);
    expect(planVideoTimescale(365 * 86_400)).toBe(60); // 90000 / 1500
    for (const seconds of [23_902, 3 * 86_400, 30 * 86_400]) {
      const timescale = planVideoTimescale(seconds);
      expect(seconds * timescale).toBeLessThanOrEqual(MP4_MAX_SAMPLE_DELTA);
      // 25 and 30 fps frame durations stay whole ticks.
      expect(((3600 * timescale) / TS_CLOCK) % 1).toBe(0);
      expect(((3000 * timescale) / TS_CLOCK) % 1).toBe(0);
    }
  });
});
