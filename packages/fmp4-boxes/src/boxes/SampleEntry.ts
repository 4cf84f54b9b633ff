import type { ByteReader } from '@rec/core';
import type { Box } from '../Box.js';
import type { BoxDecoder, DecodeContext } from '../BoxDecoder.js';
import { readBytes } from '../read/fields.js';
import type { ByteWriter } from '../write/ByteWriter.js';

/**
 * What every sample entry starts with (ISO/IEC 14496-12 8.5.2.2):
 * `const unsigned int(8)[6] reserved = 0; unsigned int(16) data_reference_index;`
 */
export interface SampleEntry extends Box {
  /** unsigned int(8)[6] reserved. */
  reserved1: Uint8Array;
  /** 1-based index into the track's `dref`. */
  dataReferenceIndex: number;
}

export function readSampleEntry(reader: ByteReader): { reserved1: Uint8Array; dataReferenceIndex: number } {
  const reserved1 = readBytes(reader, 6); // reserved[6]
  const dataReferenceIndex = reader.u16(); // data_reference_index
  return { reserved1, dataReferenceIndex };
}

export function writeSampleEntry(
  writer: ByteWriter,
  box: { reserved1: Uint8Array; dataReferenceIndex: number },
): void {
  writer.bytes(box.reserved1).u16(box.dataReferenceIndex); // reserved[6], data_reference_index
}

/** Sample entries are the children of `stsd` only (QuickTime's `wave` holds an `mp4a` that is none). */
export const inStsd = (context: DecodeContext): boolean => context.ancestors.at(-1)?.type === 'stsd';

/** A sample entry of a format without a decoder: the common fields, the rest kept as `trailing` bytes. */
export const sampleEntry: BoxDecoder<SampleEntry> = {
  type: 'sample entry',
  accepts: inStsd,
  read: readSampleEntry,
  write: (box, writer) => writeSampleEntry(writer, box),
};
