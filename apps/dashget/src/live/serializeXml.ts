import type { XmlElement } from '@rec/mpd';

/** Text made safe for an XML attribute value in double quotes (XML 1.0 2.4, 3.3.3). */
export function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** ` a="1" b="2"` from attributes in their order. */
export function attributeText(attributes: Readonly<Record<string, string>>): string {
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
}

/**
 * An element of the source manifest written back as XML (names, prefixes
 * and attributes as written, values re-escaped): how descriptors the
 * recording does not model (Role, AudioChannelConfiguration,
 * ContentProtection with its `cenc:pssh`) reach the static MPD unchanged.
 */
export function serializeElement(element: XmlElement, indent: string): string {
  const open = `${indent}<${element.name}${attributeText(element.attributes)}`;
  const text = element.text.trim();
  if (element.children.length === 0 && text === '') return `${open}/>`;
  if (element.children.length === 0) return `${open}>${escapeText(text)}</${element.name}>`;
  const children = element.children.map((child) => serializeElement(child, `${indent}  `));
  return [`${open}>${escapeText(text)}`, ...children, `${indent}</${element.name}>`].join('\n');
}
