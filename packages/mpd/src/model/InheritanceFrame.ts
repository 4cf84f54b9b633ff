import type { WarningLog } from '@rec/core';
import { MpdWarningCode } from '../MpdWarningCode.js';
import { Double, FrameRate, UnsignedInt } from '../values/attributeTypes.js';
import { childElements, firstChild, type XmlElement } from '../xml/XmlElement.js';
import { readAttribute } from './readAttribute.js';

/** At most this many BaseURL candidates per level (several at several levels multiply). */
const MAX_BASE_URLS = 16;

/**
 * What a level of the manifest hands down to the levels below it, as
 * shaka-player's `InheritanceFrame` structures it: MPD -> Period ->
 * AdaptationSet -> Representation. Built once per element; each field is
 * the element's own value, else its parent's.
 */
export interface InheritanceFrame {
  /** Absolute BaseURL candidates (RFC 3986 resolution through every level), the first preferred. */
  readonly baseUrls: readonly string[];
  /** Whether some level declared a BaseURL (else the manifest URL is the only base). */
  readonly baseUrlDeclared: boolean;
  /** Sum of the first BaseURL's `@availabilityTimeOffset` at each level (23009-1 5.3.9.5.3). */
  readonly baseUrlAvailabilityTimeOffset: number;
  /** The Segment* elements in effect, nearest level first. */
  readonly segmentBase: readonly XmlElement[];
  readonly segmentList: readonly XmlElement[];
  readonly segmentTemplate: readonly XmlElement[];
  /** The addressing mode of the nearest level that has a Segment* element. */
  readonly addressing: 'base' | 'list' | 'template' | undefined;
  // RepresentationBaseType attributes (23009-1 5.3.7), inherited AdaptationSet -> Representation.
  readonly mimeType: string | undefined;
  readonly codecs: string | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly frameRate: number | undefined;
  readonly audioSamplingRate: string | undefined;
  readonly contentType: string | undefined;
  readonly lang: string | undefined;
}

/** The frame above the MPD: the manifest URL is the only base. */
export function rootFrame(manifestUrl: string): InheritanceFrame {
  return {
    baseUrls: [manifestUrl],
    baseUrlDeclared: false,
    baseUrlAvailabilityTimeOffset: 0,
    segmentBase: [],
    segmentList: [],
    segmentTemplate: [],
    addressing: undefined,
    mimeType: undefined,
    codecs: undefined,
    width: undefined,
    height: undefined,
    frameRate: undefined,
    audioSamplingRate: undefined,
    contentType: undefined,
    lang: undefined,
  };
}

export function createFrame(
  element: XmlElement,
  parent: InheritanceFrame,
  warnings: WarningLog<MpdWarningCode>,
): InheritanceFrame {
  const baseUrlElements = childElements(element, 'BaseURL');
  const template = firstChild(element, 'SegmentTemplate');
  const list = firstChild(element, 'SegmentList');
  const base = firstChild(element, 'SegmentBase');
  const present = [template && 'template', list && 'list', base && 'base'].filter(
    (mode): mode is 'template' | 'list' | 'base' => mode !== undefined,
  );
  if (present.length > 1) {
    warnings.add(
      MpdWarningCode.AddressingConflict,
      `${element.path}: ${present.join(', ')} at one level; using ${present[0]}`,
    );
  }
  const attribute = (name: string): string | undefined => {
    const value = element.attributes[name]?.trim();
    return value ? value : undefined;
  };
  return {
    baseUrls: resolveBaseUrls(parent.baseUrls, baseUrlElements, warnings),
    baseUrlDeclared: parent.baseUrlDeclared || baseUrlElements.length > 0,
    baseUrlAvailabilityTimeOffset:
      parent.baseUrlAvailabilityTimeOffset +
      (readAttribute(baseUrlElements[0], 'availabilityTimeOffset', Double, 'lenient', warnings) ?? 0),
    segmentBase: base ? [base, ...parent.segmentBase] : parent.segmentBase,
    segmentList: list ? [list, ...parent.segmentList] : parent.segmentList,
    segmentTemplate: template ? [template, ...parent.segmentTemplate] : parent.segmentTemplate,
    addressing: present[0] ?? parent.addressing,
    mimeType: attribute('mimeType') ?? parent.mimeType,
    codecs: attribute('codecs') ?? parent.codecs,
    width: readAttribute(element, 'width', UnsignedInt, 'lenient', warnings) ?? parent.width,
    height: readAttribute(element, 'height', UnsignedInt, 'lenient', warnings) ?? parent.height,
    frameRate: readAttribute(element, 'frameRate', FrameRate, 'lenient', warnings) ?? parent.frameRate,
    audioSamplingRate: attribute('audioSamplingRate') ?? parent.audioSamplingRate,
    contentType: attribute('contentType') ?? parent.contentType,
    lang: attribute('lang') ?? parent.lang,
  };
}

/**
 * Every child BaseURL against every parent candidate (parent order first),
 * RFC 3986 section 5 resolution by WHATWG URL. An empty BaseURL is its
 * parent's; one that does not parse is skipped with `MPD_BAD_URL`.
 */
function resolveBaseUrls(
  parents: readonly string[],
  elements: XmlElement[],
  warnings: WarningLog<MpdWarningCode>,
): readonly string[] {
  if (elements.length === 0) return parents;
  const resolved: string[] = [];
  const ordered = orderBaseUrls(elements);
  for (const parent of parents) {
    for (const element of ordered) {
      const reference = element.text.trim();
      const url = URL.parse(reference, parent);
      if (url === null) {
        warnings.add(
          MpdWarningCode.BadUrl,
          `${element.path}: BaseURL ${JSON.stringify(reference)} is not a URL`,
        );
        continue;
      }
      if (!resolved.includes(url.href)) resolved.push(url.href);
      if (resolved.length >= MAX_BASE_URLS) return resolved;
    }
  }
  return resolved.length > 0 ? resolved : parents;
}

/**
 * BaseURLs in the order DVB-DASH players try them (ETSI TS 103 285
 * 10.8.2.1): lowest `@dvb:priority` first (absent: 1), then highest
 * `@dvb:weight` (the one a weighted draw picks most often; absent: 1),
 * then document order. Without those attributes: document order.
 */
export function orderBaseUrls(elements: readonly XmlElement[]): XmlElement[] {
  const number = (element: XmlElement, name: string): number => {
    const key = Object.keys(element.attributes).find((key) => key.endsWith(`:${name}`));
    const value = key === undefined ? Number.NaN : Number(element.attributes[key]);
    return Number.isInteger(value) ? value : 1;
  };
  return elements
    .map((element, index) => ({
      element,
      index,
      priority: number(element, 'priority'),
      weight: number(element, 'weight'),
    }))
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.index - b.index)
    .map(({ element }) => element);
}
