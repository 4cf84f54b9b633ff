import type { XmlElement } from '../xml/XmlElement.js';

/** The UTCTiming schemes of 23009-1 5.8.5.7 (Table 32), by their short name. */
export type UtcTimingScheme =
  | 'http-iso'
  | 'http-xsdate'
  | 'http-head'
  | 'http-ntp'
  | 'ntp'
  | 'sntp'
  | 'direct'
  | 'unknown';

/** A `UTCTiming` descriptor: how the client may learn the server's wall clock. */
export interface UtcTiming {
  scheme: UtcTimingScheme;
  schemeIdUri: string;
  value: string;
}

const known = new Set<UtcTimingScheme>([
  'http-iso',
  'http-xsdate',
  'http-head',
  'http-ntp',
  'ntp',
  'sntp',
  'direct',
]);

export function readUtcTiming(element: XmlElement): UtcTiming {
  const schemeIdUri = (element.attributes.schemeIdUri ?? '').trim();
  // urn:mpeg:dash:utc:http-iso:2014 (and the 2012 URNs of the first edition).
  const name = /^urn:mpeg:dash:utc:([a-z-]+):20(?:12|14)$/i.exec(schemeIdUri)?.[1]?.toLowerCase();
  const scheme =
    name !== undefined && known.has(name as UtcTimingScheme) ? (name as UtcTimingScheme) : 'unknown';
  return { scheme, schemeIdUri, value: (element.attributes.value ?? '').trim() };
}
