import { type RecWarning, WarningLog } from '@rec/core';
import type {
  AddressingContext,
  RepresentationSegments,
  SegmentLocation,
} from '../addressing/RepresentationSegments.js';
import { readSidx as readSidxBox } from '../addressing/readSidx.js';
import type { ReadSidx } from '../addressing/SegmentIndex.js';
import { segmentsFromSidx } from '../addressing/segmentBase.js';
import { liveEdgeOf } from '../live/liveEdge.js';
import type { MpdWarningCode } from '../MpdWarningCode.js';
import type { AdaptationSet, Mpd, Period, Representation } from '../model/Mpd.js';
import { type RepresentationSelection, selectRepresentations } from '../select/selectRepresentations.js';
import { DEFAULT_MAX_SEGMENTS, type ListSegmentsOptions, listWith } from './listRepresentationSegments.js';

export interface ResolveOptions extends ListSegmentsOptions {
  /** Which Representations (default: all). */
  select?: RepresentationSelection;
  /**
   * Fetches a byte range (`location.range`; whole resource when absent):
   * the sidx of SegmentBase Representations. Without it they keep `index`
   * and list no segments.
   */
  loadRange?: (location: SegmentLocation, signal?: AbortSignal) => Promise<Uint8Array>;
  /** Reads a sidx box (default: `@rec/fmp4-boxes`' decoder). */
  readSidx?: ReadSidx;
  signal?: AbortSignal;
}

export interface ResolvedRepresentation extends RepresentationSegments {
  representation: Representation;
}

export interface ResolvedAdaptationSet {
  adaptationSet: AdaptationSet;
  representations: ResolvedRepresentation[];
}

export interface ResolvedPeriod {
  period: Period;
  adaptationSets: ResolvedAdaptationSet[];
}

/** Every selected Representation's segments, grouped as the manifest groups them. */
export interface ResolvedMpd {
  mpd: Mpd;
  /** The wall clock the live window was computed at (ms since the epoch). */
  now: number;
  periods: ResolvedPeriod[];
  /** The parse's warnings and the resolution's, one entry per code. */
  warnings: RecWarning<MpdWarningCode>[];
}

/** How many sidx are fetched at once. */
const INDEX_CONCURRENCY = 4;

/**
 * Resolves the segments of every selected Representation: templates,
 * timelines and lists by arithmetic, SegmentBase by reading its sidx
 * through `loadRange` + `readSidx`. Dynamic MPDs are resolved at `now`
 * (the caller's clock) and never listed without bound.
 */
export async function resolveMpd(mpd: Mpd, options: ResolveOptions = {}): Promise<ResolvedMpd> {
  options.signal?.throwIfAborted();
  const now = options.now ?? Date.now();
  const warnings = new WarningLog<MpdWarningCode>();
  warnings.merge(mpd.warnings);
  const listOptions = { ...options, now };
  const periods: ResolvedPeriod[] = [];
  const pending: { resolved: ResolvedRepresentation; period: Period }[] = [];
  for (const { period, adaptationSet, representation } of selectRepresentations(mpd, options.select)) {
    let resolvedPeriod = periods.at(-1);
    if (resolvedPeriod?.period !== period) {
      resolvedPeriod = { period, adaptationSets: [] };
      periods.push(resolvedPeriod);
    }
    let resolvedSet = resolvedPeriod.adaptationSets.at(-1);
    if (resolvedSet?.adaptationSet !== adaptationSet) {
      resolvedSet = { adaptationSet, representations: [] };
      resolvedPeriod.adaptationSets.push(resolvedSet);
    }
    const resolved: ResolvedRepresentation = {
      representation,
      ...listWith(mpd, period, representation, listOptions, warnings),
    };
    resolvedSet.representations.push(resolved);
    if (resolved.index) pending.push({ resolved, period });
  }

  if (pending.length > 0 && options.loadRange) {
    const { loadRange, readSidx = readSidxBox, signal } = options;
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const { resolved, period } = pending[next++] as (typeof pending)[number];
        const index = resolved.index as SegmentLocation;
        const bytes = await loadRange(index, signal);
        signal?.throwIfAborted();
        const context: AddressingContext = {
          representation: resolved.representation,
          period: period as Period & { start: number },
          live: liveEdgeOf(mpd, period as Period & { start: number }, now, options.liveWindow),
          maxSegments: options.maxSegments ?? DEFAULT_MAX_SEGMENTS,
          warnings,
        };
        const listing = await segmentsFromSidx(
          resolved,
          { bytes, fileOffset: index.range?.first ?? 0 },
          {
            ...context,
            readSidx,
            loadNested: (range) => loadRange({ ...index, range }, signal),
          },
        );
        delete resolved.index;
        Object.assign(resolved, listing);
      }
    };
    await Promise.all(Array.from({ length: Math.min(INDEX_CONCURRENCY, pending.length) }, worker));
  }
  return { mpd, now, periods, warnings: warnings.list() };
}
