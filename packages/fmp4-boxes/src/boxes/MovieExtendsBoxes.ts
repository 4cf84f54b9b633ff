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

/** One level of a `leva`: the track it is in and how its samples are assigned to it. */
export interface LevelAssignment {
  trackId: number;
  paddingFlag: number;
  /** 0: by sample group (groupingType), 1: by sample group with parameter, 2, 3: by track, 4: by sub-track. */
  assignmentType: number;
  groupingType?: string;
  groupingTypeParameter?: number;
  subTrackId?: number;
}

/** `leva` (ISO/IEC 14496-12 8.8.13): the levels of the segments, which `ssix` ranges index. */
export interface LevelAssignmentBox extends FullBox {
  type: 'leva';
  levels: LevelAssignment[];
}

/* aligned(8) class LevelAssignmentBox extends FullBox('leva', 0, 0) { unsigned int(8) level_count;
 *   for (j=1; j <= level_count; j++) { unsigned int(32) track_ID; unsigned int(1) padding_flag; unsigned int(7) assignment_type;
 *     if (assignment_type == 0) { unsigned int(32) grouping_type; }
 *     else if (assignment_type == 1) { unsigned int(32) grouping_type; unsigned int(32) grouping_type_parameter; }
 *     else if (assignment_type == 4) { unsigned int(32) sub_track_ID; } } } */
export const leva: BoxDecoder<LevelAssignmentBox> = {
  type: 'leva',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u8(); // level_count
    const levels: LevelAssignment[] = [];
    for (let i = 0; i < count; i++) {
      const trackId = reader.u32(); // track_ID
      const bits = reader.u8(); // padding_flag, assignment_type
      const level: LevelAssignment = { trackId, paddingFlag: bits >> 7, assignmentType: bits & 0x7f };
      if (level.assignmentType === 0 || level.assignmentType === 1) level.groupingType = reader.fourcc(); // grouping_type
      if (level.assignmentType === 1) level.groupingTypeParameter = reader.u32(); // grouping_type_parameter
      if (level.assignmentType === 4) level.subTrackId = reader.u32(); // sub_track_ID
      if (level.assignmentType > 4) throw context.fail(`reserved assignment_type ${level.assignmentType}`);
      levels.push(level);
    }
    return { version, flags, levels };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u8(box.levels.length); // level_count
    for (const level of box.levels) {
      writer.u32(level.trackId).u8((level.paddingFlag << 7) | level.assignmentType); // track_ID, padding_flag, assignment_type
      if (level.assignmentType === 0 || level.assignmentType === 1)
        writer.fourcc(level.groupingType ?? '    ');
      if (level.assignmentType === 1) writer.u32(level.groupingTypeParameter ?? 0);
      if (level.assignmentType === 4) writer.u32(level.subTrackId ?? 0);
    }
  },
};
