import type { XmlElement } from '../xml/XmlElement.js';

/** A `ContentProtection` descriptor (23009-1 5.8.4.1, ISO/IEC 23001-7 11.2 for `cenc:`). */
export interface ContentProtection {
  /** Lower-cased `@schemeIdUri`: `urn:mpeg:dash:mp4protection:2011`, `urn:uuid:edef8ba9-...`. */
  schemeIdUri: string;
  value: string | null;
  /** `cenc:default_KID`, lower-case hyphenated UUID. */
  defaultKid: string | null;
  /** The DRM system of a `urn:uuid:` scheme, lower-case hyphenated. */
  systemId: string | null;
  /** `cenc:pssh` boxes, base64-decoded. */
  pssh: PsshBox[];
  element: XmlElement;
}

export interface PsshBox {
  /** The whole `pssh` box (ISO/IEC 23001-7 8.1.1). */
  bytes: Uint8Array;
  /** Its SystemID, lower-case hyphenated; `null` when the bytes are not a pssh box. */
  systemId: string | null;
}

export function readContentProtection(element: XmlElement): ContentProtection {
  const schemeIdUri = (element.attributes.schemeIdUri ?? '').trim().toLowerCase();
  const kidAttribute = Object.keys(element.attributes).find(
    (name) => name === 'default_KID' || name.endsWith(':default_KID'),
  );
  const kidText = kidAttribute === undefined ? undefined : element.attributes[kidAttribute];
  const uuid = /^urn:uuid:([0-9a-f-]{32,36})$/.exec(schemeIdUri)?.[1];
  return {
    schemeIdUri,
    value: element.attributes.value ?? null,
    defaultKid: kidText === undefined ? null : normalizeUuid(kidText),
    systemId: uuid === undefined ? null : normalizeUuid(uuid),
    pssh: element.children
      .filter((child) => child.localName === 'pssh')
      .flatMap((child) => {
        const bytes = decodeBase64(child.text);
        return bytes ? [{ bytes, systemId: psshSystemId(bytes) }] : [];
      }),
    element,
  };
}

function normalizeUuid(text: string): string | null {
  const hex = text.trim().replaceAll('-', '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!compact || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  try {
    return Uint8Array.from(atob(compact), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** SystemID of a `pssh` FullBox: size(4) type(4) version(1) flags(3) SystemID(16) (ISO/IEC 23001-7 8.1.2). */
function psshSystemId(bytes: Uint8Array): string | null {
  if (bytes.length < 28) return null;
  const type = String.fromCharCode(bytes[4] ?? 0, bytes[5] ?? 0, bytes[6] ?? 0, bytes[7] ?? 0);
  if (type !== 'pssh') return null;
  const hex = [...bytes.subarray(12, 28)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return normalizeUuid(hex);
}
