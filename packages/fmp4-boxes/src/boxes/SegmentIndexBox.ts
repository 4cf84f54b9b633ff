import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readFullBox, readUintV } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

export interface SegmentIndexReference {
  /** 0: media (a subsegment of moof+mdat), 1: another sidx (a hierarchical index). */
  referenceType: number;
  referencedSize: number;
  /** In the sidx timescale. */
  subsegmentDuration: number;
  startsWithSap: boolean;
  sapType: number;
  sapDeltaTime: number;
}

/** `sidx` (ISO/IEC 14496-12 8.16.3): byte ranges and durations of a track's subsegments. */
export interface SegmentIndexBox extends FullBox {
  type: 'sidx';
  referenceId: number;
  timeScale: number;
  earliestPresentationTime: Uint64;
  /** From the first byte after this box to the first referenced byte. */
  firstOffset: Uint64;
  reserved: number;
  references: SegmentIndexReference[];
}

/*
 * aligned(8) class SegmentIndexBox extends FullBox('sidx', version, 0) {
 *   unsigned int(32) reference_ID; unsigned int(32) timescale;
 *   if (version==0) { unsigned int(32) earliest_presentation_time; unsigned int(32) first_offset; }
 *   else { unsigned int(64) earliest_presentation_time; unsigned int(64) first_offset; }
 *   unsigned int(16) reserved = 0; unsigned int(16) reference_count;
 *   for(i=1; i <= reference_count; i++) {
 *     bit (1) reference_type; unsigned int(31) referenced_size; unsigned int(32) subsegment_duration;
 *     bit(1) starts_with_SAP; unsigned int(3) SAP_type; unsigned int(28) SAP_delta_time; } }
 */
export const sidx: BoxDecoder<SegmentIndexBox> = {
  type: 'sidx',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const referenceId = reader.u32(); // reference_ID
    const timeScale = reader.u32(); // timescale
    const earliestPresentationTime = readUintV(reader, version); // earliest_presentation_time
    const firstOffset = readUintV(reader, version); // first_offset
    const reserved = reader.u16(); // reserved
    const count = reader.u16(); // reference_count
    needEntries(reader, context, count, 12, 'reference_count');
    const references: SegmentIndexReference[] = [];
    for (let i = 0; i < count; i++) {
      const sizeWord = reader.u32(); // reference_type, referenced_size
      const subsegmentDuration = reader.u32(); // subsegment_duration
      const sapWord = reader.u32(); // starts_with_SAP, SAP_type, SAP_delta_time
      references.push({
        referenceType: sizeWord >>> 31,
        referencedSize: sizeWord & 0x7fffffff,
        subsegmentDuration,
        startsWithSap: sapWord >>> 31 === 1,
        sapType: (sapWord >>> 28) & 0x7,
        sapDeltaTime: sapWord & 0x0fffffff,
      });
    }
    return {
      version,
      flags,
      referenceId,
      timeScale,
      earliestPresentationTime,
      firstOffset,
      reserved,
      references,
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.referenceId).u32(box.timeScale); // reference_ID, timescale
    writer.uintV(box.earliestPresentationTime, box.version).uintV(box.firstOffset, box.version);
    writer.u16(box.reserved).u16(box.references.length); // reserved, reference_count
    for (const r of box.references) {
      writer.u32(r.referenceType * 0x80000000 + r.referencedSize); // reference_type, referenced_size
      writer.u32(r.subsegmentDuration); // subsegment_duration
      writer.u32((r.startsWithSap ? 0x80000000 : 0) + r.sapType * 0x10000000 + r.sapDeltaTime); // starts_with_SAP, SAP_type, SAP_delta_time
    }
  },
};
