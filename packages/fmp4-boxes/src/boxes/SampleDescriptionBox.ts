import type { Box, FullBox } from '../Box.js';
import type { BoxDecoder, DecodeContext } from '../BoxDecoder.js';
import { readFullBox } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';
import { audioSampleEntry } from './AudioSampleEntry.js';
import { sampleEntry } from './SampleEntry.js';
import { visualSampleEntry } from './VisualSampleEntry.js';

/** `stsd` (ISO/IEC 14496-12 8.5.2): the track's sample entries, its children. */
export interface SampleDescriptionBox extends FullBox {
  type: 'stsd';
  entryCount: number;
  children: Box[];
}

/* aligned(8) class SampleDescriptionBox () extends FullBox('stsd', version, 0) {
 *   int i; unsigned int(32) entry_count;
 *   for (i = 1 ; i <= entry_count ; i++) { SampleEntry(); } } */
export const stsd: BoxDecoder<SampleDescriptionBox> = {
  type: 'stsd',
  container: true,
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, entryCount: reader.u32() }; // entry_count
  },
  // A format no decoder knows (or one whose fourcc means video in one track
  // and sound in another, as QuickTime's 'raw '): every video sample entry
  // is a VisualSampleEntry and every sound one an AudioSampleEntry (12.1.3,
  // 12.2.3); others keep their common fields and the rest as bytes.
  childDecoder(type, context) {
    const handler = trackHandlerType(context);
    if (handler === 'vide') return visualSampleEntry(type);
    if (handler === 'soun') return audioSampleEntry(type);
    return sampleEntry;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.entryCount); // entry_count
  },
};

/** The handler type (`vide`, `soun`...) of the track around the box being decoded. */
export function trackHandlerType(context: DecodeContext): string | undefined {
  const trak = context.ancestors.findLast((box) => box.type === 'trak');
  const mdia = trak?.children?.find((box) => box.type === 'mdia');
  const hdlr = mdia?.children?.find((box) => box.type === 'hdlr') as { handlerType?: string } | undefined;
  return hdlr?.handlerType;
}
