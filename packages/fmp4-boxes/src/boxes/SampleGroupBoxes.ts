import type { FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readBytes, readFullBox } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

/** `sbgp` (ISO/IEC 14496-12 8.9.2): which sample group description each run of samples belongs to. */
export interface SampleToGroupBox extends FullBox {
  type: 'sbgp';
  groupingType: string;
  /** Version 1 only. */
  groupingTypeParameter?: number;
  sampleCounts: Uint32Array;
  /** 1-based index into the sgpd entries (0: no group; above 0x10000: the fragment's own sgpd). */
  groupDescriptionIndexes: Uint32Array;
}

/* aligned(8) class SampleToGroupBox extends FullBox('sbgp', version, 0) {
 *   unsigned int(32) grouping_type; if (version == 1) { unsigned int(32) grouping_type_parameter; }
 *   unsigned int(32) entry_count;
 *   for (i=1; i <= entry_count; i++) { unsigned int(32) sample_count; unsigned int(32) group_description_index; } } */
export const sbgp: BoxDecoder<SampleToGroupBox> = {
  type: 'sbgp',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const groupingType = reader.fourcc(); // grouping_type
    const groupingTypeParameter = version === 1 ? reader.u32() : undefined; // grouping_type_parameter
    const count = reader.u32(); // entry_count
    needEntries(reader, context, count, 8);
    const sampleCounts = new Uint32Array(count);
    const groupDescriptionIndexes = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      sampleCounts[i] = reader.u32(); // sample_count
      groupDescriptionIndexes[i] = reader.u32(); // group_description_index
    }
    const box = { version, flags, groupingType, sampleCounts, groupDescriptionIndexes };
    return groupingTypeParameter === undefined ? box : { ...box, groupingTypeParameter };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.fourcc(box.groupingType); // grouping_type
    if (box.version === 1) writer.u32(box.groupingTypeParameter ?? 0); // grouping_type_parameter
    writer.u32(box.sampleCounts.length); // entry_count
    box.sampleCounts.forEach((count, i) => {
      writer.u32(count).u32(box.groupDescriptionIndexes[i]!); // sample_count, group_description_index
    });
  },
};

/** `sgpd` (ISO/IEC 14496-12 8.9.3): the sample group entries, kept as bytes (plus decoded for known types). */
export interface SampleGroupDescriptionBox extends FullBox {
  type: 'sgpd';
  groupingType: string;
  /** Version 1 and up: every entry's length, or 0 when each entry has its own description_length. */
  defaultLength?: number;
  /** Version 2 and up. */
  defaultSampleDescriptionIndex?: number;
  entryCount: number;
  /** The SampleGroupEntry of each description (empty when a version 0 box of an unknown type has several: they stay in `trailing`). */
  entries: Uint8Array[];
  /** `roll` and `prol` groups (10.1): roll_distance of each entry. */
  rollDistances?: number[];
}

/** Entry sizes of version 0 groups, which do not say their size (10.1, 10.3, 10.4; ISO/IEC 23001-7 6). */
const FIXED_ENTRY_SIZES: Record<string, number> = { roll: 2, prol: 2, 'rap ': 1, sync: 1, tele: 1, tscl: 20 };

/*
 * aligned(8) class SampleGroupDescriptionBox (unsigned int(32) handler_type) extends FullBox('sgpd', version, 0) {
 *   unsigned int(32) grouping_type;
 *   if (version>=1) { unsigned int(32) default_length; }
 *   if (version>=2) { unsigned int(32) default_sample_description_index; }
 *   unsigned int(32) entry_count;
 *   for (i = 1 ; i <= entry_count ; i++) {
 *     if (version>=1) { if (default_length==0) { unsigned int(32) description_length; } }
 *     SampleGroupEntry (grouping_type); } }
 *
 * Bento4 never bounds entry_count by the box size (a malformed Dolby Vision
 * file made it print 2.2 GB); here every entry must fit or the box is invalid.
 */
export const sgpd: BoxDecoder<SampleGroupDescriptionBox> = {
  type: 'sgpd',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const groupingType = reader.fourcc(); // grouping_type
    const fields: Omit<SampleGroupDescriptionBox, keyof FullBox> & { version: number; flags: number } = {
      version,
      flags,
      groupingType,
      entryCount: 0,
      entries: [],
    };
    if (version >= 1) fields.defaultLength = reader.u32(); // default_length
    if (version >= 2) fields.defaultSampleDescriptionIndex = reader.u32(); // default_sample_description_index
    const count = reader.u32(); // entry_count
    fields.entryCount = count;
    const defaultLength = fields.defaultLength ?? 0;
    if (version >= 1 && defaultLength === 0) {
      needEntries(reader, context, count, 4);
      for (let i = 0; i < count; i++) {
        const length = reader.u32(); // description_length
        needEntries(reader, context, 1, length, 'description_length');
        fields.entries.push(readBytes(reader, length));
      }
    } else {
      // Version 0 entries have the size their grouping type gives them.
      const size = version >= 1 ? defaultLength : FIXED_ENTRY_SIZES[groupingType];
      if (size !== undefined) {
        needEntries(reader, context, count, size);
        for (let i = 0; i < count; i++) fields.entries.push(readBytes(reader, size)); // SampleGroupEntry
      } else if (count === 1) {
        fields.entries.push(readBytes(reader, reader.remaining)); // the one entry: the rest of the box
      } else if (count > 0) {
        // Sizes unknown: the entries stay in `trailing`, undivided.
        needEntries(reader, context, count, 1);
      }
    }
    if (groupingType === 'roll' || groupingType === 'prol') {
      fields.rollDistances = fields.entries.map((entry) =>
        entry.length >= 2 ? new DataView(entry.buffer, entry.byteOffset, 2).getInt16(0) : 0,
      ); // roll_distance
    }
    return fields;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.fourcc(box.groupingType); // grouping_type
    if (box.version >= 1) writer.u32(box.defaultLength ?? 0); // default_length
    if (box.version >= 2) writer.u32(box.defaultSampleDescriptionIndex ?? 0); // default_sample_description_index
    writer.u32(box.entryCount); // entry_count
    for (const entry of box.entries) {
      if (box.version >= 1 && !box.defaultLength) writer.u32(entry.length); // description_length
      writer.bytes(entry); // SampleGroupEntry
    }
  },
};
