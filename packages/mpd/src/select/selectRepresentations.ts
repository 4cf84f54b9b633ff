import { invalidOption } from '@rec/core';
import type { AdaptationSet, Mpd, Period, Representation } from '../model/Mpd.js';

/**
 * Which Representations to keep. Kinds combine with AND, values of one kind
 * with OR; an empty selection keeps every Representation.
 */
export interface RepresentationSelection {
  /** Representation `@id`s. */
  ids?: readonly string[];
  /** Content types: `video`, `audio`, `text`, `image`. */
  contentTypes?: readonly string[];
  /**
   * Languages (RFC 5646 prefixes, case-insensitive: `en` keeps `en-US`).
   * Sets without a language (video, usually) are kept: `lang:fr` gives the
   * video and the French audio and subtitles.
   */
  languages?: readonly string[];
  /** Keep only the highest (`best`) or lowest (`worst`) `@bandwidth` per content type in each Period. */
  bandwidth?: 'best' | 'worst';
}

export interface SelectedRepresentation {
  period: Period;
  adaptationSet: AdaptationSet;
  representation: Representation;
}

/** The Representations of `mpd` that `selection` keeps, in manifest order. */
export function selectRepresentations(
  mpd: Mpd,
  selection: RepresentationSelection = {},
): SelectedRepresentation[] {
  const ids = selection.ids && new Set(selection.ids);
  const types = selection.contentTypes?.map((type) => type.toLowerCase());
  const languages = selection.languages?.map((lang) => lang.toLowerCase());
  const kept: SelectedRepresentation[] = [];
  for (const period of mpd.periods) {
    const inPeriod: SelectedRepresentation[] = [];
    for (const adaptationSet of period.adaptationSets) {
      for (const representation of adaptationSet.representations) {
        if (ids && !ids.has(representation.id)) continue;
        const type = contentTypeOf(adaptationSet, representation);
        if (types && !types.includes(type)) continue;
        const lang = (representation.lang ?? adaptationSet.lang)?.toLowerCase();
        if (
          languages &&
          lang &&
          !languages.some((wanted) => lang === wanted || lang.startsWith(`${wanted}-`))
        ) {
          continue;
        }
        inPeriod.push({ period, adaptationSet, representation });
      }
    }
    kept.push(...(selection.bandwidth ? extremes(inPeriod, selection.bandwidth) : inPeriod));
  }
  return kept;
}

function contentTypeOf(adaptationSet: AdaptationSet, representation: Representation): string {
  return (adaptationSet.contentType ?? representation.contentType ?? 'unknown').toLowerCase();
}

/** The best (or worst) Representation per content type; ties keep the first in manifest order. */
function extremes(candidates: SelectedRepresentation[], which: 'best' | 'worst'): SelectedRepresentation[] {
  const chosen = new Map<string, SelectedRepresentation>();
  for (const candidate of candidates) {
    const type = contentTypeOf(candidate.adaptationSet, candidate.representation);
    const current = chosen.get(type);
    const better =
      current === undefined ||
      (which === 'best'
        ? candidate.representation.bandwidth > current.representation.bandwidth
        : candidate.representation.bandwidth < current.representation.bandwidth);
    if (better) chosen.set(type, candidate);
  }
  const keep = new Set(chosen.values());
  return candidates.filter((candidate) => keep.has(candidate));
}

const contentTypes = ['video', 'audio', 'text', 'image', 'application'];

/**
 * A selection from command-line words: `best`, `worst`, `video` (or
 * `type:video`), `id:720p` (or `id=720p`), `lang:en`; commas list several
 * values (`id:1,2`). Throws a `TypeError` naming the word it cannot read.
 */
export function parseSelection(words: readonly string[]): RepresentationSelection {
  const selection: {
    ids?: string[];
    contentTypes?: string[];
    languages?: string[];
    bandwidth?: 'best' | 'worst';
  } = {};
  for (const word of words) {
    const text = word.trim();
    if (text === 'best' || text === 'worst') {
      selection.bandwidth = text;
      continue;
    }
    const match = /^(id|type|lang)[:=](.+)$/.exec(text);
    const kind = match?.[1] ?? (contentTypes.includes(text.toLowerCase()) ? 'type' : undefined);
    const values = (match?.[2] ?? text)
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
    if (kind === undefined || values.length === 0) {
      throw invalidOption('select', 'best, worst, video/audio/text/image, type:T, id:ID or lang:L', word);
    }
    const key = kind === 'id' ? 'ids' : kind === 'type' ? 'contentTypes' : 'languages';
    selection[key] = [...(selection[key] ?? []), ...values];
  }
  return selection;
}
