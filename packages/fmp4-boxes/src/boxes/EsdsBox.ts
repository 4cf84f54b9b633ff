import type { FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { type Descriptor, readDescriptors, writeDescriptors } from '../descriptors/Descriptor.js';
import { readFullBox } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

/** `esds` (ISO/IEC 14496-14 5.6): an ES_Descriptor (MPEG-4 audio/visual decoder configuration). */
export interface EsdsBox extends FullBox {
  type: 'esds';
  /** The ES_Descriptor (tag 3) and anything after it. */
  descriptors: Descriptor[];
}

/* aligned(8) class ESDBox extends FullBox('esds', version = 0, 0) { ES_Descriptor ES; } */
export const esds: BoxDecoder<EsdsBox> = {
  type: 'esds',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, descriptors: readDescriptors(reader, context) }; // ES
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writeDescriptors(writer, box.descriptors); // ES
  },
};

/** `iods` (ISO/IEC 14496-14 5.5): the initial object descriptor. */
export interface ObjectDescriptorBox extends FullBox {
  type: 'iods';
  descriptors: Descriptor[];
}

/* aligned(8) class ObjectDescriptorBox extends FullBox('iods', version = 0, 0) { ObjectDescriptor OD; } */
export const iods: BoxDecoder<ObjectDescriptorBox> = {
  type: 'iods',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, descriptors: readDescriptors(reader, context) }; // OD
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writeDescriptors(writer, box.descriptors); // OD
  },
};
