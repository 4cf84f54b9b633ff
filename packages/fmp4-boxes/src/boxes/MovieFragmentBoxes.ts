import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readFullBox, readUint64, readUintV } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

/**
 * Sample flags (ISO/IEC 14496-12 8.8.3.1) of trex, tfhd and trun:
 * `bit(4) reserved; unsigned int(2) is_leading; unsigned int(2) sample_depends_on;
 * unsigned int(2) sample_is_depended_on; unsigned int(2) sample_has_redundancy;
 * bit(3) sample_padding_value; bit(1) sample_is_non_sync_sample; unsigned int(16) sample_degradation_priority;`
 */
export const SampleFlags = {
  /** sample_depends_on == 1: not an I picture. */
  DependsOnOthers: 0x01000000,
  /** sample_depends_on == 2: an I picture. */
  DependsOnNoOther: 0x02000000,
  IsNonSync: 0x00010000,
} as const;

/** `mfhd` (8.8.5): the fragment's sequence number. */
export interface MovieFragmentHeaderBox extends FullBox {
  type: 'mfhd';
  sequenceNumber: number;
}

/* aligned(8) class MovieFragmentHeaderBox extends FullBox('mfhd', 0, 0){ unsigned int(32) sequence_number; } */
export const mfhd: BoxDecoder<MovieFragmentHeaderBox> = {
  type: 'mfhd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, sequenceNumber: reader.u32() }; // sequence_number
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.sequenceNumber); // sequence_number
  },
};

/** tfhd flags (8.8.7.1). */
export const TrackFragmentHeaderFlags = {
  BaseDataOffsetPresent: 0x000001,
  SampleDescriptionIndexPresent: 0x000002,
  DefaultSampleDurationPresent: 0x000008,
  DefaultSampleSizePresent: 0x000010,
  DefaultSampleFlagsPresent: 0x000020,
  DurationIsEmpty: 0x010000,
  DefaultBaseIsMoof: 0x020000,
} as const;

/** `tfhd` (8.8.7): the track of a `traf` and its defaults (each present only with its flag). */
export interface TrackFragmentHeaderBox extends FullBox {
  type: 'tfhd';
  trackId: number;
  baseDataOffset?: Uint64;
  sampleDescriptionIndex?: number;
  defaultSampleDuration?: number;
  defaultSampleSize?: number;
  defaultSampleFlags?: number;
}

/* aligned(8) class TrackFragmentHeaderBox extends FullBox('tfhd', 0, tf_flags){
 *   unsigned int(32) track_ID; // all the following are optional fields, their presence is indicated by bits in the tf_flags
 *   unsigned int(64) base_data_offset; unsigned int(32) sample_description_index; unsigned int(32) default_sample_duration;
 *   unsigned int(32) default_sample_size; unsigned int(32) default_sample_flags; } */
export const tfhd: BoxDecoder<TrackFragmentHeaderBox> = {
  type: 'tfhd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const fields: Omit<TrackFragmentHeaderBox, keyof FullBox> & { version: number; flags: number } = {
      version,
      flags,
      trackId: reader.u32(), // track_ID
    };
    const f = TrackFragmentHeaderFlags;
    if (flags & f.BaseDataOffsetPresent) fields.baseDataOffset = readUint64(reader); // base_data_offset
    if (flags & f.SampleDescriptionIndexPresent) fields.sampleDescriptionIndex = reader.u32(); // sample_description_index
    if (flags & f.DefaultSampleDurationPresent) fields.defaultSampleDuration = reader.u32(); // default_sample_duration
    if (flags & f.DefaultSampleSizePresent) fields.defaultSampleSize = reader.u32(); // default_sample_size
    if (flags & f.DefaultSampleFlagsPresent) fields.defaultSampleFlags = reader.u32(); // default_sample_flags
    return fields;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    const f = TrackFragmentHeaderFlags;
    const need = (value: number | bigint | undefined, name: string) => {
      if (value === undefined)
        throw new TypeError(`Expected tfhd \`${name}\` as its flags say, got \`undefined\``);
      return value;
    };
    writer.u32(box.trackId); // track_ID
    if (box.flags & f.BaseDataOffsetPresent) writer.u64(need(box.baseDataOffset, 'baseDataOffset')); // base_data_offset
    if (box.flags & f.SampleDescriptionIndexPresent)
      writer.u32(Number(need(box.sampleDescriptionIndex, 'sampleDescriptionIndex')));
    if (box.flags & f.DefaultSampleDurationPresent)
      writer.u32(Number(need(box.defaultSampleDuration, 'defaultSampleDuration')));
    if (box.flags & f.DefaultSampleSizePresent)
      writer.u32(Number(need(box.defaultSampleSize, 'defaultSampleSize')));
    if (box.flags & f.DefaultSampleFlagsPresent)
      writer.u32(Number(need(box.defaultSampleFlags, 'defaultSampleFlags')));
  },
};

/** `tfdt` (8.8.12): the decode time of the fragment's first sample of the track (media timescale). */
export interface TrackFragmentBaseMediaDecodeTimeBox extends FullBox {
  type: 'tfdt';
  baseMediaDecodeTime: Uint64;
}

/* aligned(8) class TrackFragmentBaseMediaDecodeTimeBox extends FullBox('tfdt', version, 0) {
 *   if (version==1) { unsigned int(64) baseMediaDecodeTime; } else { unsigned int(32) baseMediaDecodeTime; } } */
export const tfdt: BoxDecoder<TrackFragmentBaseMediaDecodeTimeBox> = {
  type: 'tfdt',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, baseMediaDecodeTime: readUintV(reader, version) }; // baseMediaDecodeTime
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.uintV(box.baseMediaDecodeTime, box.version); // baseMediaDecodeTime
  },
};

/** trun flags (8.8.8.1). */
export const TrackRunFlags = {
  DataOffsetPresent: 0x000001,
  FirstSampleFlagsPresent: 0x000004,
  SampleDurationPresent: 0x000100,
  SampleSizePresent: 0x000200,
  SampleFlagsPresent: 0x000400,
  SampleCompositionTimeOffsetPresent: 0x000800,
} as const;

/** One sample of a run: each field present only with its flag. */
export interface TrackRunEntry {
  sampleDuration?: number;
  sampleSize?: number;
  sampleFlags?: number;
  /** Unsigned in version 0, signed in version 1. */
  sampleCompositionTimeOffset?: number;
}

/** `trun` (8.8.8): a run of contiguous samples of a track fragment. */
export interface TrackRunBox extends FullBox {
  type: 'trun';
  sampleCount: number;
  /** Added to the base data offset (tfhd, or the moof with default-base-is-moof). */
  dataOffset?: number;
  firstSampleFlags?: number;
  /**
   * One per sample, or none when the run has no per-sample field (every
   * sample then takes the tfhd/trex defaults: count with `sampleCount`).
   */
  entries: TrackRunEntry[];
}

/* aligned(8) class TrackRunBox extends FullBox('trun', version, tr_flags) {
 *   unsigned int(32) sample_count; // the following are optional fields
 *   signed int(32) data_offset; unsigned int(32) first_sample_flags;
 *   { unsigned int(32) sample_duration; unsigned int(32) sample_size; unsigned int(32) sample_flags;
 *     if (version == 0) { unsigned int(32) sample_composition_time_offset; }
 *     else { signed int(32) sample_composition_time_offset; } }[ sample_count ] } */
export const trun: BoxDecoder<TrackRunBox> = {
  type: 'trun',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const f = TrackRunFlags;
    const sampleCount = reader.u32(); // sample_count
    const fields: Omit<TrackRunBox, keyof FullBox> & { version: number; flags: number } = {
      version,
      flags,
      sampleCount,
      entries: [],
    };
    if (flags & f.DataOffsetPresent) fields.dataOffset = reader.i32(); // data_offset
    if (flags & f.FirstSampleFlagsPresent) fields.firstSampleFlags = reader.u32(); // first_sample_flags
    const hasDuration = (flags & f.SampleDurationPresent) !== 0;
    const hasSize = (flags & f.SampleSizePresent) !== 0;
    const hasFlags = (flags & f.SampleFlagsPresent) !== 0;
    const hasOffset = (flags & f.SampleCompositionTimeOffsetPresent) !== 0;
    const bytesEach = 4 * (Number(hasDuration) + Number(hasSize) + Number(hasFlags) + Number(hasOffset));
    if (bytesEach === 0) return fields;
    needEntries(reader, context, sampleCount, bytesEach, 'sample_count');
    for (let i = 0; i < sampleCount; i++) {
      const entry: TrackRunEntry = {};
      if (hasDuration) entry.sampleDuration = reader.u32(); // sample_duration
      if (hasSize) entry.sampleSize = reader.u32(); // sample_size
      if (hasFlags) entry.sampleFlags = reader.u32(); // sample_flags
      if (hasOffset) entry.sampleCompositionTimeOffset = version === 0 ? reader.u32() : reader.i32(); // sample_composition_time_offset
      fields.entries.push(entry);
    }
    return fields;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    const f = TrackRunFlags;
    writer.u32(box.sampleCount); // sample_count
    if (box.flags & f.DataOffsetPresent) writer.i32(box.dataOffset ?? 0); // data_offset
    if (box.flags & f.FirstSampleFlagsPresent) writer.u32(box.firstSampleFlags ?? 0); // first_sample_flags
    const perSample =
      f.SampleDurationPresent |
      f.SampleSizePresent |
      f.SampleFlagsPresent |
      f.SampleCompositionTimeOffsetPresent;
    if ((box.flags & perSample) === 0) return;
    if (box.entries.length !== box.sampleCount) {
      throw new TypeError(
        `Expected ${box.sampleCount} trun entries as sample_count says, got ${box.entries.length}`,
      );
    }
    for (const entry of box.entries) {
      if (box.flags & f.SampleDurationPresent) writer.u32(entry.sampleDuration ?? 0); // sample_duration
      if (box.flags & f.SampleSizePresent) writer.u32(entry.sampleSize ?? 0); // sample_size
      if (box.flags & f.SampleFlagsPresent) writer.u32(entry.sampleFlags ?? 0); // sample_flags
      if (box.flags & f.SampleCompositionTimeOffsetPresent) {
        const offset = entry.sampleCompositionTimeOffset ?? 0; // sample_composition_time_offset
        if (box.version === 0) writer.u32(offset);
        else writer.i32(offset);
      }
    }
  },
};
