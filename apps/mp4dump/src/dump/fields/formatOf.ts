import type { Box } from '@rec/fmp4-boxes';
import type { BoxFormat, FormatTable } from './BoxFormat.js';
import { codecFormats } from './codecs.js';
import { fragmentFormats } from './fragments.js';
import { itemFormat, metadataFormats } from './metadata.js';
import { movieFormats, trackReferenceFormat } from './movie.js';
import { protectionFormats, uuidFormat } from './protection.js';
import { sampleEntryFormat } from './sampleEntries.js';
import { sampleTableFormats } from './sampleTables.js';

const formats: FormatTable = {
  ...movieFormats,
  ...sampleTableFormats,
  ...codecFormats,
  ...fragmentFormats,
  ...protectionFormats,
  ...metadataFormats,
};

/**
 * The format of `box` where it is (`ancestors` outermost first), or
 * undefined for a box we do not decode: sample entries inside `stsd`,
 * reference types inside `tref` and items inside `ilst` go by their place,
 * `uuid` boxes by their usertype, the rest by fourcc.
 */
export function formatOf(box: Box, ancestors: readonly Box[]): BoxFormat | undefined {
  const parent = ancestors[ancestors.length - 1]?.type;
  let format: BoxFormat | undefined;
  if (parent === 'stsd') format = sampleEntryFormat as BoxFormat;
  else if (parent === 'tref') format = trackReferenceFormat as BoxFormat;
  else if (parent === 'ilst') return itemFormat;
  else if (box.type === 'uuid') format = uuidFormat(box);
  else format = formats[box.type];
  if (format?.decodedKey !== undefined && !(format.decodedKey in box)) return undefined;
  return format;
}

/** Whether Bento4 1.6 decodes `box` there (else `--bento4` shows its header only). */
export function bento4Decodes(format: BoxFormat | undefined, box: Box, ancestors: readonly Box[]): boolean {
  if (format === undefined) return false;
  const rule = format.bento4;
  if (rule === undefined) return true;
  return typeof rule === 'function' ? rule(box, ancestors) : rule;
}
