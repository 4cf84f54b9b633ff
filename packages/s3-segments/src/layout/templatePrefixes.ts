import type { SegmentKind } from '../types/Segment.js';

/** Tokens a key template may use. Date parts are UTC. */
export const templateTokens = ['prefix', 'kind', 'YYYY', 'MM', 'DD', 'HH'] as const;

export interface TemplatePrefixesOptions {
  prefix: string;
  kind: SegmentKind;
  /** Unix seconds: the first instant of interest. */
  from: number;
  /** Unix seconds: nothing at or after this instant is of interest. */
  to: number;
}

/**
 * Expands a key template into the directory prefixes, in time order, of every
 * period (hour, day, month or year: the finest date part the template uses)
 * that overlaps `[from, to)`. A template without date parts gives one prefix.
 *
 * `{prefix}/{YYYY}/{MM}/{DD}/{HH}/00/video/` from 23:59 to 00:01 gives
 * `.../2023/11/14/23/00/video/` and `.../2023/11/15/00/00/video/`.
 */
export function templatePrefixes(template: string, options: TemplatePrefixesOptions): string[] {
  const step = template.includes('{HH}')
    ? 'hour'
    : template.includes('{DD}')
      ? 'day'
      : template.includes('{MM}')
        ? 'month'
        : template.includes('{YYYY}')
          ? 'year'
          : undefined;
  const prefixes: string[] = [];
  const first = new Date(Math.floor(options.from) * 1000);
  if (Number.isNaN(first.getTime())) return prefixes;
  if (step === undefined) return [expand(template, options, first)];
  const period = new Date(
    Date.UTC(
      first.getUTCFullYear(),
      step === 'year' ? 0 : first.getUTCMonth(),
      step === 'year' || step === 'month' ? 1 : first.getUTCDate(),
      step === 'hour' ? first.getUTCHours() : 0,
    ),
  );
  const to = Math.max(options.to, options.from + 0.001) * 1000;
  while (period.getTime() < to) {
    prefixes.push(expand(template, options, period));
    if (step === 'hour') period.setUTCHours(period.getUTCHours() + 1);
    else if (step === 'day') period.setUTCDate(period.getUTCDate() + 1);
    else if (step === 'month') period.setUTCMonth(period.getUTCMonth() + 1);
    else period.setUTCFullYear(period.getUTCFullYear() + 1);
  }
  return prefixes;
}

/** The directory prefix of one kind when the layout has no template: `<prefix>/<directory>/`. */
export function directoryPrefix(prefix: string, directory: string): string {
  const base = prefix.replace(/\/+$/, '');
  return base === '' ? `${directory}/` : `${base}/${directory}/`;
}

function expand(template: string, options: TemplatePrefixesOptions, date: Date): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  const prefix = options.prefix.replace(/\/+$/, '');
  return template
    .replace(/\{prefix\}(\/?)/g, (_, slash: string) => (prefix === '' ? '' : `${prefix}${slash}`))
    .replace(/\{kind\}/g, options.kind)
    .replace(/\{YYYY\}/g, pad(date.getUTCFullYear(), 4))
    .replace(/\{MM\}/g, pad(date.getUTCMonth() + 1, 2))
    .replace(/\{DD\}/g, pad(date.getUTCDate(), 2))
    .replace(/\{HH\}/g, pad(date.getUTCHours(), 2));
}
