import type { WarningLog } from '@rec/core';
import { MpdError } from '../MpdError.js';
import { MpdWarningCode } from '../MpdWarningCode.js';
import type { AttributeType } from '../values/attributeTypes.js';
import type { XmlElement } from '../xml/XmlElement.js';

/**
 * How a bad value is met: `strict` for what addressing and timing depend on
 * (an `MpdError` naming the attribute), `lenient` for what only describes
 * (ignored with an `MPD_BAD_ATTRIBUTE` warning).
 */
export type Strictness = 'strict' | 'lenient';

/** The converted value of `element@name`, `undefined` when absent. */
export function readAttribute<T>(
  element: XmlElement | undefined,
  name: string,
  type: AttributeType<T>,
  strictness: Strictness,
  warnings: WarningLog<MpdWarningCode>,
): T | undefined {
  const text = element?.attributes[name];
  if (element === undefined || text === undefined) return undefined;
  const parsed = type.schema.safeParse(text);
  if (parsed.success) return parsed.data;
  const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
  const message = `expected ${type.expected}, got ${shown} (line ${element.line})`;
  if (strictness === 'strict') {
    throw new MpdError('MPD_INVALID', message, { path: `${element.path}@${name}`, line: element.line });
  }
  warnings.add(MpdWarningCode.BadAttribute, `${element.path}@${name}: ${message}; ignored`);
  return undefined;
}

/**
 * The value of `name` on the nearest element of `chain` that has it
 * (Representation first, then AdaptationSet, then Period): the spec's
 * inheritance of Segment* attributes, attribute by attribute (23009-1 5.3.9.1).
 */
export function inheritAttribute<T>(
  chain: readonly XmlElement[],
  name: string,
  type: AttributeType<T>,
  strictness: Strictness,
  warnings: WarningLog<MpdWarningCode>,
): T | undefined {
  const element = chain.find((candidate) => candidate.attributes[name] !== undefined);
  return readAttribute(element, name, type, strictness, warnings);
}

/** The raw text of `name` on the nearest element of `chain` that has it. */
export function inheritText(chain: readonly XmlElement[], name: string): string | undefined {
  for (const element of chain) {
    const text = element.attributes[name];
    if (text !== undefined) return text;
  }
  return undefined;
}
