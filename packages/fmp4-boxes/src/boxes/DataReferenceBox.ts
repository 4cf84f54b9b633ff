import type { Box, FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readFullBox } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

/** `dref` (ISO/IEC 14496-12 8.7.2): where the media data is; its entries are its children. */
export interface DataReferenceBox extends FullBox {
  type: 'dref';
  entryCount: number;
  children: Box[];
}

/* aligned(8) class DataReferenceBox extends FullBox('dref', version = 0, 0) {
 *   unsigned int(32) entry_count; for (i=1; i <= entry_count; i++) { DataEntryBox(entry_version, entry_flags) data_entry; } } */
export const dref: BoxDecoder<DataReferenceBox> = {
  type: 'dref',
  container: true,
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, entryCount: reader.u32() }; // entry_count
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.entryCount); // entry_count
  },
};

/** Flag of a data entry: the media data is in the same file (8.7.2.3). */
export const DATA_ENTRY_SELF_CONTAINED = 0x000001;

/** `url ` (ISO/IEC 14496-12 8.7.2): a data entry; with flag 1 the data is in this file and there is no location. */
export interface DataEntryUrlBox extends FullBox {
  type: 'url ';
  /** Absent when the box has no location (self-contained). */
  location?: string;
}

/* aligned(8) class DataEntryUrlBox (bit(24) flags) extends FullBox('url ', version = 0, flags) { utf8string location; } */
export const url: BoxDecoder<DataEntryUrlBox> = {
  type: 'url ',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return reader.remaining > 0 ? { version, flags, location: reader.cstring() } : { version, flags }; // location
  },
  write(box, writer) {
    writeFullBox(writer, box);
    if (box.location !== undefined) writer.cstring(box.location); // location
  },
};

/** `urn ` (ISO/IEC 14496-12 8.7.2). */
export interface DataEntryUrnBox extends FullBox {
  type: 'urn ';
  name: string;
  location?: string;
}

/* aligned(8) class DataEntryUrnBox (bit(24) flags) extends FullBox('urn ', version = 0, flags) {
 *   utf8string name; utf8string location; } */
export const urn: BoxDecoder<DataEntryUrnBox> = {
  type: 'urn ',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const name = reader.cstring(); // name
    return reader.remaining > 0
      ? { version, flags, name, location: reader.cstring() }
      : { version, flags, name }; // location
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.cstring(box.name); // name
    if (box.location !== undefined) writer.cstring(box.location); // location
  },
};
