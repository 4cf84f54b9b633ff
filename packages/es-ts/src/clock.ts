/** The MPEG-TS system clock's 90 kHz: PTS, DTS and durations are in these ticks (ISO/IEC 13818-1 2.4.3.7). */
export const TS_CLOCK = 90_000;

/**
 * Default PTS of the first presented picture (or of a recording's `origin`):
 * 1.4 s, as ffmpeg's mpegts muxer starts, so that the DTS of reordered
 * pictures and the PCR 100 ms before them stay positive.
 */
export const DEFAULT_START_PTS = Math.round(1.4 * TS_CLOCK);
