import { invalidOption, WarningLog } from '@rec/core';
import { MpdError } from '../MpdError.js';
import { MpdWarningCode } from '../MpdWarningCode.js';
import { DateTime, Duration, UnsignedInt } from '../values/attributeTypes.js';
import { parseXml } from '../xml/parseXml.js';
import { childElements, type XmlElement } from '../xml/XmlElement.js';
import { readContentProtection } from './ContentProtection.js';
import { guessContentType } from './guessContentType.js';
import { createFrame, type InheritanceFrame, rootFrame } from './InheritanceFrame.js';
import type { AdaptationSet, Descriptor, Mpd, Period, Representation } from './Mpd.js';
import { placePeriods } from './periodTiming.js';
import { readAttribute, type Strictness } from './readAttribute.js';
import { readSegmentInfo } from './SegmentInfo.js';
import { readUtcTiming } from './UtcTiming.js';

export interface ParseMpdOptions {
  /** The manifest's URL after redirects: relative BaseURLs and Locations resolve against it. */
  url: string;
  /** Refuse longer manifests (`MPD_TOO_LARGE`); bytes for a Uint8Array, UTF-16 units for a string. Default 16 MiB. */
  maxBytes?: number;
  /** Hears each kind of warning the first time it happens. */
  onWarning?: ConstructorParameters<typeof WarningLog<MpdWarningCode>>[0];
}

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const DASH_NAMESPACE = 'urn:mpeg:dash:schema:mpd:2011';
export const RESOLVE_TO_ZERO = 'urn:mpeg:dash:resolve-to-zero:2013';

/**
 * Parses an MPD (ISO/IEC 23009-1) into the model: XML checked and decoded
 * without entity expansion, attributes converted at the edge, Periods placed
 * (5.3.2.1), BaseURLs resolved and Segment* information inherited down to
 * each Representation. Throws `MpdError` when nothing useful can be built;
 * what it recovers from is on `warnings`.
 */
export function parseMpd(text: string | Uint8Array, options: ParseMpdOptions): Mpd {
  const manifestUrl = URL.parse(options?.url ?? '');
  if (manifestUrl === null) throw invalidOption('url', 'an absolute URL', options?.url);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw invalidOption('maxBytes', 'an integer from 1 and up', options.maxBytes);
  }
  if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
    throw invalidOption('text', 'a string or a Uint8Array', text);
  }
  if (text.length > maxBytes) {
    throw new MpdError(
      'MPD_TOO_LARGE',
      `the manifest is ${text.length} bytes, more than maxBytes ${maxBytes}`,
      {
        path: '',
      },
    );
  }
  const warnings = new WarningLog<MpdWarningCode>(options.onWarning);
  const root = parseXml(typeof text === 'string' ? text : decodeText(text), warnings);
  if (root.localName !== 'MPD') {
    throw new MpdError('MPD_INVALID', `the root element is <${root.name}>, not <MPD>`, { path: root.path });
  }
  if (root.namespace !== null && root.namespace.toLowerCase() !== DASH_NAMESPACE) {
    // Still read: early manifests used urn:mpeg:DASH:schema:MPD:2011 and variants.
    warnings.add(
      MpdWarningCode.BadAttribute,
      `MPD: namespace ${JSON.stringify(root.namespace)} is not ${DASH_NAMESPACE}; read as DASH`,
    );
  }
  return buildMpd(root, manifestUrl.href, warnings);
}

/** The model of a parsed manifest tree (also of one whose remote elements `resolveXlinks` spliced in). */
export function buildMpd(root: XmlElement, manifestUrl: string, warnings: WarningLog<MpdWarningCode>): Mpd {
  const duration = (element: XmlElement, name: string) =>
    readAttribute(element, name, Duration, 'strict', warnings) ?? null;
  const instant = (name: string, strictness: Strictness = 'strict') =>
    readAttribute(root, name, DateTime, strictness, warnings) ?? null;
  // What only guides a player (buffering, latency) is read leniently: a bad value is ignored with a
  // warning, as shaka-player ignores it, rather than failing a manifest whose segments are fine.
  const hint = (name: string) => readAttribute(root, name, Duration, 'lenient', warnings) ?? null;
  const typeText = (root.attributes.type ?? 'static').trim();
  if (typeText === 'list') {
    // 23009-1 6th edition 5.15: a list of other MPDs (Period/ImportedMPD), each played in turn.
    throw new MpdError(
      'MPD_UNSUPPORTED',
      'a list MPD (its Periods import other MPDs with ImportedMPD): open the MPDs it lists',
      { path: 'MPD@type' },
    );
  }
  if (typeText !== 'static' && typeText !== 'dynamic') {
    throw new MpdError('MPD_INVALID', `expected static or dynamic, got ${JSON.stringify(typeText)}`, {
      path: 'MPD@type',
    });
  }
  const type = typeText;
  const mediaPresentationDuration = duration(root, 'mediaPresentationDuration');

  const mpdFrame = createFrame(root, rootFrame(manifestUrl), warnings);
  const periodElements = withoutResolveToZero(childElements(root, 'Period'), warnings);
  const timings = placePeriods(
    periodElements.map((element) => ({
      path: element.path,
      start: duration(element, 'start') ?? undefined,
      duration: duration(element, 'duration') ?? undefined,
    })),
    type,
    mediaPresentationDuration ?? undefined,
    warnings,
  );

  const periods = periodElements.map((element, index): Period => {
    const frame = createFrame(element, mpdFrame, warnings);
    const timing = timings[index] ?? { start: null, duration: null };
    return {
      id: element.attributes.id ?? null,
      index,
      start: timing.start,
      duration: timing.duration,
      baseUrls: [...frame.baseUrls],
      adaptationSets: withoutResolveToZero(childElements(element, 'AdaptationSet'), warnings).map(
        (set, setIndex) => buildAdaptationSet(set, setIndex, frame, index, warnings),
      ),
      eventStreams: childElements(element, 'EventStream'),
      element,
    };
  });
  // A dynamic MPD may list no Period yet (23009-1 5.3.1.2: Period 0...N when dynamic).
  if (periods.length === 0 && type === 'static')
    throw new MpdError('MPD_INVALID', 'no Period', { path: 'MPD' });
  // A static MPD's segments do not depend on its availabilityStartTime.
  const availabilityStartTime = instant('availabilityStartTime', type === 'static' ? 'lenient' : 'strict');
  if (type === 'dynamic' && availabilityStartTime === null) {
    warnings.add(
      MpdWarningCode.NoAvailabilityStart,
      'MPD: dynamic without @availabilityStartTime: its segments are listed as if it were static',
    );
  }

  return {
    manifestUrl,
    type,
    id: root.attributes.id ?? null,
    profiles: (root.attributes.profiles ?? '')
      .split(',')
      .map((profile) => profile.trim())
      .filter(Boolean),
    mediaPresentationDuration,
    minBufferTime: hint('minBufferTime'),
    minimumUpdatePeriod: duration(root, 'minimumUpdatePeriod'),
    timeShiftBufferDepth: duration(root, 'timeShiftBufferDepth'),
    suggestedPresentationDelay: hint('suggestedPresentationDelay'),
    maxSegmentDuration: hint('maxSegmentDuration'),
    availabilityStartTime,
    availabilityEndTime: instant('availabilityEndTime', 'lenient'),
    publishTime: instant('publishTime', 'lenient'),
    locations: childElements(root, 'Location').flatMap((location) => {
      const url = URL.parse(location.text.trim(), manifestUrl);
      if (url === null) warnings.add(MpdWarningCode.BadUrl, `${location.path}: not a URL`);
      return url === null ? [] : [url.href];
    }),
    utcTimings: childElements(root, 'UTCTiming').map(readUtcTiming),
    periods,
    element: root,
    warnings: warnings.list(),
  };
}

function buildAdaptationSet(
  element: XmlElement,
  index: number,
  periodFrame: InheritanceFrame,
  periodIndex: number,
  warnings: WarningLog<MpdWarningCode>,
): AdaptationSet {
  const frame = createFrame(element, periodFrame, warnings);
  const contentProtection = childElements(element, 'ContentProtection').map(readContentProtection);
  return {
    id: element.attributes.id ?? null,
    index,
    contentType: frame.contentType ?? guessContentType(frame.mimeType, frame.codecs) ?? null,
    mimeType: frame.mimeType ?? null,
    lang: frame.lang ?? null,
    codecs: frame.codecs ?? null,
    roles: childElements(element, 'Role').map(readDescriptor),
    contentProtection,
    representations: withoutResolveToZero(childElements(element, 'Representation'), warnings).map(
      (representation, representationIndex) =>
        buildRepresentation(
          representation,
          representationIndex,
          frame,
          contentProtection,
          warnings,
          () => `p${periodIndex}-a${index}-r${representationIndex}`,
        ),
    ),
    element,
  };
}

function buildRepresentation(
  element: XmlElement,
  index: number,
  setFrame: InheritanceFrame,
  setProtection: AdaptationSet['contentProtection'],
  warnings: WarningLog<MpdWarningCode>,
  madeUpId: () => string,
): Representation {
  const frame = createFrame(element, setFrame, warnings);
  let id = element.attributes.id?.trim();
  if (!id) {
    id = madeUpId();
    warnings.add(MpdWarningCode.MissingId, `${element.path}: no @id; called ${id}`);
  }
  return {
    id,
    index,
    // @bandwidth is mandatory; 0 when missing or broken, as players take it.
    bandwidth: readAttribute(element, 'bandwidth', UnsignedInt, 'lenient', warnings) ?? 0,
    codecs: frame.codecs ?? null,
    mimeType: frame.mimeType ?? null,
    contentType: frame.contentType ?? guessContentType(frame.mimeType, frame.codecs) ?? null,
    lang: frame.lang ?? null,
    width: frame.width ?? null,
    height: frame.height ?? null,
    frameRate: frame.frameRate ?? null,
    audioSamplingRate: frame.audioSamplingRate ?? null,
    baseUrls: [...frame.baseUrls],
    contentProtection: [
      ...setProtection,
      ...childElements(element, 'ContentProtection').map(readContentProtection),
    ],
    segmentInfo: readSegmentInfo(frame, warnings),
    element,
  };
}

function readDescriptor(element: XmlElement): Descriptor {
  return {
    schemeIdUri: element.attributes.schemeIdUri ?? '',
    value: element.attributes.value ?? null,
    id: element.attributes.id ?? null,
  };
}

/**
 * Elements with `xlink:href` (23009-1 5.5): `resolve-to-zero` removes the
 * element; remote ones are not fetched (the element is used as written).
 */
function withoutResolveToZero(elements: XmlElement[], warnings: WarningLog<MpdWarningCode>): XmlElement[] {
  return elements.filter((element) => {
    const name = Object.keys(element.attributes).find((key) => key.endsWith(':href'));
    const href = name === undefined ? undefined : element.attributes[name]?.trim();
    if (href === undefined) return true;
    if (href === RESOLVE_TO_ZERO) return false;
    warnings.add(MpdWarningCode.XlinkNotResolved, `${element.path}: xlink:href ${href} was not fetched`);
    return true;
  });
}

/** Manifest bytes as text: a BOM decides, else UTF-8 (the encoding MPDs use). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}
