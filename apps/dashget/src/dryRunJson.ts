import { formatByteRange, type ResolvedMpd } from '@rec/mpd';

/** `--dry-run --json`: the shape issue 11 fixes (other tools and checks read it). */
export interface DryRunJson {
  manifest: string;
  type: 'static' | 'dynamic';
  periods: {
    id: string | null;
    start: number;
    duration: number | null;
    adaptationSets: {
      id: string | null;
      contentType: string | null;
      mimeType: string | null;
      lang: string | null;
      representations: {
        id: string;
        bandwidth: number;
        codecs: string | null;
        width: number | null;
        height: number | null;
        timescale: number;
        init: { url: string; range: string | null } | null;
        segments: {
          url: string;
          range: string | null;
          number: number | null;
          time: number | string;
          duration: number;
          start: number;
          end: number;
        }[];
      }[];
    }[];
  }[];
  warnings: { code: string; message: string }[];
}

/** A media time as JSON: a number while exact (up to 2^53), else its decimal string. */
function jsonTime(time: bigint): number | string {
  return time <= BigInt(Number.MAX_SAFE_INTEGER) && time >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(time)
    : time.toString();
}

export function dryRunJson(
  resolved: ResolvedMpd,
  manifest: string,
  warnings = resolved.warnings,
): DryRunJson {
  return {
    manifest,
    type: resolved.mpd.type,
    periods: resolved.periods.map(({ period, adaptationSets }) => ({
      id: period.id,
      start: period.start ?? 0,
      duration: period.duration,
      adaptationSets: adaptationSets.map(({ adaptationSet, representations }) => ({
        id: adaptationSet.id,
        contentType: adaptationSet.contentType,
        mimeType: adaptationSet.mimeType,
        lang: adaptationSet.lang,
        representations: representations.map((resolvedRepresentation) => {
          const { representation, timescale, init, segments } = resolvedRepresentation;
          return {
            id: representation.id,
            bandwidth: representation.bandwidth,
            codecs: representation.codecs,
            width: representation.width,
            height: representation.height,
            timescale,
            init: init ? { url: init.url, range: init.range ? formatByteRange(init.range) : null } : null,
            segments: segments.map((segment) => ({
              url: segment.url,
              range: segment.range ? formatByteRange(segment.range) : null,
              number: segment.number ?? null,
              time: jsonTime(segment.time),
              duration: segment.duration,
              start: segment.start,
              end: segment.end,
            })),
          };
        }),
      })),
    })),
    warnings: warnings.map(({ code, message }) => ({ code, message })),
  };
}
