import type { SegmentCodec, SegmentKind } from '../types/Segment.js';
import type { SegmentLayout } from './SegmentLayout.js';

const codecs: Readonly<Record<string, SegmentCodec>> = {
  '.h264': 'h264',
  '.264': 'h264',
  '.avc': 'h264',
  '.h265': 'hevc',
  '.265': 'hevc',
  '.hevc': 'hevc',
  '.wav': 'pcm',
  '.aac': 'aac',
};

export interface SegmentName {
  /** Unix seconds (fractional for millisecond names). */
  epoch: number;
  codec?: SegmentCodec;
}

/**
 * Reads a file name (`1700000000.h264`) against the layout of one kind:
 * `undefined` when the extension or the epoch pattern does not match.
 */
export function matchSegmentName(
  layout: SegmentLayout,
  kind: SegmentKind,
  name: string,
): SegmentName | undefined {
  const dot = name.lastIndexOf('.');
  const extension = dot < 0 ? '' : name.slice(dot).toLowerCase();
  if (!layout.kinds[kind].extensions.includes(extension)) return undefined;
  const digits = layout.epochPattern.exec(name)?.groups?.epoch;
  if (digits === undefined || !/^\d+(\.\d+)?$/.test(digits)) return undefined;
  const value = Number(digits);
  const integerDigits = digits.split('.')[0]?.length ?? 0;
  const milliseconds = layout.epochUnit === 'ms' || (layout.epochUnit === 'auto' && integerDigits >= 13);
  const epoch = milliseconds ? value / 1000 : value;
  if (!Number.isFinite(epoch)) return undefined;
  const codec = codecs[extension];
  return codec === undefined ? { epoch } : { epoch, codec };
}
