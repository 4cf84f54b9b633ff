import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readFullBox, readUintV } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

/** `mehd` (ISO/IEC 14496-12 8.8.2): the whole fragmented movie's duration (movie timescale). */
export interface MovieExtendsHeaderBox extends FullBox {
  type: 'mehd';
  /** fragment_duration. */
  duration: Uint64;
}

/* aligned(8) class MovieExtendsHeaderBox extends FullBox('mehd', version, 0) {
 *   if (version==1) { unsigned int(64) fragment_duration; } else { unsigned int(32) fragment_duration; } } */
export const mehd: BoxDecoder<MovieExtendsHeaderBox> = {
  type: 'mehd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, duration: readUintV(reader, version) }; // fragment_duration
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.uintV(box.duration, box.version); // fragment_duration
  },
};

/** `trex` (ISO/IEC 14496-12 8.8.3): a track's defaults for its fragments. */
export interface TrackExtendsBox extends FullBox {
  type: 'trex';
  trackId: number;
  defaultSampleDescriptionIndex: number;
  defaultSampleDuration: number;
  defaultSampleSize: number;
  /** Sample flags (8.8.3.1): see `SampleFlags`. */
  defaultSampleFlags: number;
}

/* aligned(8) class TrackExtendsBox extends FullBox('trex', 0, 0) {
 *   unsigned int(32) track_ID; unsigned int(32) default_sample_description_index;
 *   unsigned int(32) default_sample_duration; unsigned int(32) default_sample_size; unsigned int(32) default_sample_flags; } */
export const trex: BoxDecoder<TrackExtendsBox> = {
  type: 'trex',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return {
      version,
      flags,
      trackId: reader.u32(), // track_ID
      defaultSampleDescriptionIndex: reader.u32(), // default_sample_description_index
      defaultSampleDuration: reader.u32(), // default_sample_duration
      defaultSampleSize: reader.u32(), // default_sample_size
      defaultSampleFlags: reader.u32(), // default_sample_flags
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.trackId).u32(box.defaultSampleDescriptionIndex).u32(box.defaultSampleDuration);
    writer.u32(box.defaultSampleSize).u32(box.defaultSampleFlags);
  },
};
