import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readFullBox, readInt64, readUint64 } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

export interface EditListEntry {
  /** In the movie's timescale (mvhd). */
  segmentDuration: Uint64;
  /** Start of the edit in media time (mdhd timescale); -1 is an empty edit. */
  mediaTime: number | bigint;
  /** int(16) media_rate_integer. */
  mediaRate: number;
  /** int(16) media_rate_fraction. */
  mediaRateFraction: number;
}

/** `elst` (ISO/IEC 14496-12 8.6.6): the edit list, media time to presentation time. */
export interface EditListBox extends FullBox {
  type: 'elst';
  entries: EditListEntry[];
}

/*
 * aligned(8) class EditListBox extends FullBox('elst', version, 0) {
 *   unsigned int(32) entry_count;
 *   for (i=1; i <= entry_count; i++) {
 *     if (version==1) { unsigned int(64) segment_duration; int(64) media_time; }
 *     else { unsigned int(32) segment_duration; int(32) media_time; }
 *     int(16) media_rate_integer; int(16) media_rate_fraction = 0; } }
 */
export const elst: BoxDecoder<EditListBox> = {
  type: 'elst',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // entry_count
    needEntries(reader, context, count, version === 1 ? 20 : 12);
    const entries: EditListEntry[] = [];
    for (let i = 0; i < count; i++) {
      const segmentDuration = version === 1 ? readUint64(reader) : reader.u32(); // segment_duration
      const mediaTime = version === 1 ? readInt64(reader) : reader.i32(); // media_time
      const mediaRate = reader.i16(); // media_rate_integer
      const mediaRateFraction = reader.i16(); // media_rate_fraction
      entries.push({ segmentDuration, mediaTime, mediaRate, mediaRateFraction });
    }
    return { version, flags, entries };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.entries.length); // entry_count
    for (const entry of box.entries) {
      if (box.version === 1)
        writer.u64(entry.segmentDuration).i64(entry.mediaTime); // segment_duration, media_time
      else writer.u32(Number(entry.segmentDuration)).i32(Number(entry.mediaTime));
      writer.i16(entry.mediaRate).i16(entry.mediaRateFraction); // media_rate_integer, media_rate_fraction
    }
  },
};
