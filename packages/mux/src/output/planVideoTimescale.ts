import { TS_CLOCK } from '@rec/es-ts';

/**
 * The longest time between two samples that ffmpeg's MP4 muxer stores, in
 * track ticks: it keeps stts sample_delta (ISO/IEC 14496-12 8.6.1.2) as a
 * signed 32-bit value and replaces a longer one by 1 tick ("Application
 * provided duration ... is out of range for mov/mp4 format" in 4.x,
 * "Packet duration ... is out of range" in 5.x+), which packed every later
 * frame into the same instant: a video hole of 2^31 / 90000 = 23,861 s
 * (6.6 h) at 90 kHz broke the MP4.
 */
export const MP4_MAX_SAMPLE_DELTA = 2 ** 31 - 1;

/** What the video track may hold beyond the window: the GOP before `start` that the edit list hides. */
const SPAN_MARGIN_SECONDS = 600;

/**
 * Divisors of 600 = gcd(3000, 3600): a timescale of 90000 / n with n among
 * them keeps 25, 30, 50 and 60 fps frame times (3600, 3000, 1800, 1500
 * ticks of 90 kHz) exact.
 */
const FRAME_FRIENDLY = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 25, 30, 40, 50, 60, 75, 100, 120, 150, 200, 300, 600,
];

/**
 * The video track timescale (`-video_track_timescale`) for a window of
 * `seconds`: 90 kHz, the TS clock, whenever every possible hole fits one
 * sample delta (windows up to 6.4 h); beyond that 90000 / n for the
 * smallest n that makes the whole window fit, taken from divisors of 600 so
 * that 25/30/50/60 fps with whole-second segment starts stay exact (a 3-day
 * window gets 7500 Hz). Other frame times are rounded to the nearest tick
 * (at most 1/(2 * timescale) s: 67 us for 3 days). Windows over 166 days
 * fall back to any divisor of 90000.
 */
export function planVideoTimescale(seconds: number): number {
  const span = seconds + SPAN_MARGIN_SECONDS;
  const fits = (n: number) => span * (TS_CLOCK / n) <= MP4_MAX_SAMPLE_DELTA;
  const n = FRAME_FRIENDLY.find(fits) ?? divisorsOf(TS_CLOCK).find(fits) ?? TS_CLOCK;
  return TS_CLOCK / n;
}

function divisorsOf(value: number): number[] {
  const divisors: number[] = [];
  for (let d = 1; d <= value; d++) if (value % d === 0) divisors.push(d);
  return divisors;
}
