import type { FullBox, Uint64Array } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readFullBox, readInt64, readUint64Array } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

/*
 * The sample tables of `stbl` (ISO/IEC 14496-12 8.6, 8.7). Their entries
 * can number one per sample (millions in a long recording), so they are
 * typed arrays, one per column, not arrays of objects: a 24-hour 25 fps
 * track's stsz is 8.6 MB here, not ten times that. Every entry count is
 * checked against the bytes left before an array is allocated.
 */

/** `stts` (8.6.1.2): decoding time to sample, as runs of equal durations. */
export interface TimeToSampleBox extends FullBox {
  type: 'stts';
  sampleCounts: Uint32Array;
  /** sample_delta of each run (media timescale). */
  sampleDurations: Uint32Array;
}

/* aligned(8) class TimeToSampleBox extends FullBox('stts', version = 0, 0) {
 *   unsigned int(32) entry_count; for (i=0; i < entry_count; i++) { unsigned int(32) sample_count; unsigned int(32) sample_delta; } } */
export const stts: BoxDecoder<TimeToSampleBox> = {
  type: 'stts',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // entry_count
    needEntries(reader, context, count, 8);
    const sampleCounts = new Uint32Array(count);
    const sampleDurations = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      sampleCounts[i] = reader.u32(); // sample_count
      sampleDurations[i] = reader.u32(); // sample_delta
    }
    return { version, flags, sampleCounts, sampleDurations };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.sampleCounts.length); // entry_count
    box.sampleCounts.forEach((count, i) => {
      writer.u32(count).u32(box.sampleDurations[i]!); // sample_count, sample_delta
    });
  },
};

/** `ctts` (8.6.1.3): composition time offsets, as runs; version 1 offsets are signed. */
export interface CompositionOffsetBox extends FullBox {
  type: 'ctts';
  sampleCounts: Uint32Array;
  /** Version 0: unsigned (players read them as signed, as ffmpeg does); version 1: signed. */
  sampleOffsets: Uint32Array | Int32Array;
}

/* aligned(8) class CompositionOffsetBox extends FullBox('ctts', version, 0) {
 *   unsigned int(32) entry_count;
 *   if (version==0) { for (i=0; i < entry_count; i++) { unsigned int(32) sample_count; unsigned int(32) sample_offset; } }
 *   else if (version == 1) { for (i=0; i < entry_count; i++) { unsigned int(32) sample_count; signed int(32) sample_offset; } } } */
export const ctts: BoxDecoder<CompositionOffsetBox> = {
  type: 'ctts',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // entry_count
    needEntries(reader, context, count, 8);
    const sampleCounts = new Uint32Array(count);
    const sampleOffsets = version === 0 ? new Uint32Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) {
      sampleCounts[i] = reader.u32(); // sample_count
      sampleOffsets[i] = version === 0 ? reader.u32() : reader.i32(); // sample_offset
    }
    return { version, flags, sampleCounts, sampleOffsets };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.sampleCounts.length); // entry_count
    box.sampleCounts.forEach((count, i) => {
      writer.u32(count); // sample_count
      if (box.version === 0)
        writer.u32(box.sampleOffsets[i]!); // sample_offset
      else writer.i32(box.sampleOffsets[i]!);
    });
  },
};

/** `cslg` (8.6.1.4): composition to decode timeline mapping. */
export interface CompositionToDecodeBox extends FullBox {
  type: 'cslg';
  compositionToDtsShift: number | bigint;
  leastDecodeToDisplayDelta: number | bigint;
  greatestDecodeToDisplayDelta: number | bigint;
  compositionStartTime: number | bigint;
  compositionEndTime: number | bigint;
}

/* class CompositionToDecodeBox extends FullBox('cslg', version, 0) {
 *   if (version==0) { signed int(32) compositionToDTSShift; signed int(32) leastDecodeToDisplayDelta;
 *     signed int(32) greatestDecodeToDisplayDelta; signed int(32) compositionStartTime; signed int(32) compositionEndTime; }
 *   else { the same five as signed int(64) } } */
export const cslg: BoxDecoder<CompositionToDecodeBox> = {
  type: 'cslg',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const int = () => (version === 0 ? reader.i32() : readInt64(reader));
    return {
      version,
      flags,
      compositionToDtsShift: int(), // compositionToDTSShift
      leastDecodeToDisplayDelta: int(), // leastDecodeToDisplayDelta
      greatestDecodeToDisplayDelta: int(), // greatestDecodeToDisplayDelta
      compositionStartTime: int(), // compositionStartTime
      compositionEndTime: int(), // compositionEndTime
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    const int = (value: number | bigint) =>
      box.version === 0 ? writer.i32(Number(value)) : writer.i64(value);
    int(box.compositionToDtsShift);
    int(box.leastDecodeToDisplayDelta);
    int(box.greatestDecodeToDisplayDelta);
    int(box.compositionStartTime);
    int(box.compositionEndTime);
  },
};

/** `stss` (8.6.2) and `stps` (8.6.3, QuickTime partial sync samples): 1-based numbers of the sync samples. */
export interface SyncSampleBox extends FullBox {
  type: 'stss' | 'stps';
  entries: Uint32Array;
}

/* aligned(8) class SyncSampleBox extends FullBox('stss', version = 0, 0) {
 *   unsigned int(32) entry_count; for (i=0; i < entry_count; i++) { unsigned int(32) sample_number; } } */
const syncSamples = (type: 'stss' | 'stps'): BoxDecoder<SyncSampleBox> => ({
  type,
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // entry_count
    needEntries(reader, context, count, 4);
    const entries = new Uint32Array(count);
    for (let i = 0; i < count; i++) entries[i] = reader.u32(); // sample_number
    return { version, flags, entries };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.entries.length); // entry_count
    for (const sample of box.entries) writer.u32(sample); // sample_number
  },
});
export const stss = syncSamples('stss');
export const stps = syncSamples('stps');

/** `sdtp` (8.6.4): one byte of dependency flags per sample (the count is the track's sample count). */
export interface SampleDependencyTypeBox extends FullBox {
  type: 'sdtp';
  /** is_leading(2) sample_depends_on(2) sample_is_depended_on(2) sample_has_redundancy(2), per sample. */
  entries: Uint8Array;
}

/* aligned(8) class SampleDependencyTypeBox extends FullBox('sdtp', version = 0, 0) {
 *   for (i=0; i < sample_count; i++){ unsigned int(2) is_leading; unsigned int(2) sample_depends_on;
 *     unsigned int(2) sample_is_depended_on; unsigned int(2) sample_has_redundancy; } } */
export const sdtp: BoxDecoder<SampleDependencyTypeBox> = {
  type: 'sdtp',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, entries: reader.bytesView(reader.remaining).slice() };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.bytes(box.entries);
  },
};

/** `stsc` (8.7.4): samples per chunk, as runs of chunks. */
export interface SampleToChunkBox extends FullBox {
  type: 'stsc';
  /** 1-based index of the first chunk of each run. */
  firstChunks: Uint32Array;
  samplesPerChunk: Uint32Array;
  sampleDescriptionIndexes: Uint32Array;
}

/* aligned(8) class SampleToChunkBox extends FullBox('stsc', version = 0, 0) {
 *   unsigned int(32) entry_count; for (i=1; i <= entry_count; i++) { unsigned int(32) first_chunk;
 *     unsigned int(32) samples_per_chunk; unsigned int(32) sample_description_index; } } */
export const stsc: BoxDecoder<SampleToChunkBox> = {
  type: 'stsc',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // entry_count
    needEntries(reader, context, count, 12);
    const firstChunks = new Uint32Array(count);
    const samplesPerChunk = new Uint32Array(count);
    const sampleDescriptionIndexes = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      firstChunks[i] = reader.u32(); // first_chunk
      samplesPerChunk[i] = reader.u32(); // samples_per_chunk
      sampleDescriptionIndexes[i] = reader.u32(); // sample_description_index
    }
    return { version, flags, firstChunks, samplesPerChunk, sampleDescriptionIndexes };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.firstChunks.length); // entry_count
    box.firstChunks.forEach((first, i) => {
      writer.u32(first).u32(box.samplesPerChunk[i]!).u32(box.sampleDescriptionIndexes[i]!); // first_chunk, samples_per_chunk, sample_description_index
    });
  },
};

/** `stsz` (8.7.3.2) and `stz2` (8.7.3.3): sample sizes. */
export interface SampleSizeBox extends FullBox {
  type: 'stsz' | 'stz2';
  /** stsz: the size of every sample, or 0 when `entries` lists them. stz2: 0. */
  sampleSize: number;
  sampleCount: number;
  /** stz2: bits per entry (4, 8 or 16). */
  fieldSize?: number;
  /** stz2: the 24 reserved bits before field_size. */
  reserved?: number;
  /** Per-sample sizes (empty when `sampleSize` is not 0). */
  entries: Uint32Array;
}

/* aligned(8) class SampleSizeBox extends FullBox('stsz', version = 0, 0) {
 *   unsigned int(32) sample_size; unsigned int(32) sample_count;
 *   if (sample_size==0) { for (i=1; i <= sample_count; i++) { unsigned int(32) entry_size; } } } */
export const stsz: BoxDecoder<SampleSizeBox> = {
  type: 'stsz',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const sampleSize = reader.u32(); // sample_size
    const sampleCount = reader.u32(); // sample_count
    const count = sampleSize === 0 ? sampleCount : 0;
    needEntries(reader, context, count, 4, 'sample_count');
    const entries = new Uint32Array(count);
    for (let i = 0; i < count; i++) entries[i] = reader.u32(); // entry_size
    return { version, flags, sampleSize, sampleCount, entries };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.sampleSize).u32(box.sampleCount); // sample_size, sample_count
    if (box.sampleSize === 0) for (const size of box.entries) writer.u32(size); // entry_size
  },
};

/* aligned(8) class CompactSampleSizeBox extends FullBox('stz2', version = 0, 0) {
 *   unsigned int(24) reserved = 0; unsigned int(8) field_size; unsigned int(32) sample_count;
 *   for (i=1; i <= sample_count; i++) { unsigned int(field_size) entry_size; } } */
export const stz2: BoxDecoder<SampleSizeBox> = {
  type: 'stz2',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const reserved = reader.u24(); // reserved
    const fieldSize = reader.u8(); // field_size
    const sampleCount = reader.u32(); // sample_count
    if (fieldSize !== 4 && fieldSize !== 8 && fieldSize !== 16) {
      throw context.fail(`field_size ${fieldSize} is not 4, 8 or 16`);
    }
    if (Math.ceil((sampleCount * fieldSize) / 8) > reader.remaining) {
      throw context.fail(
        `sample_count ${sampleCount} needs ${Math.ceil((sampleCount * fieldSize) / 8)} bytes, ${reader.remaining} left`,
        { offset: reader.offset },
      );
    }
    const entries = new Uint32Array(sampleCount);
    for (let i = 0; i < sampleCount; i++) {
      if (fieldSize === 16) entries[i] = reader.u16();
      else if (fieldSize === 8) entries[i] = reader.u8();
      else if (i % 2 === 0) {
        const byte = reader.u8(); // two 4-bit entries, the first in the high nibble
        entries[i] = byte >> 4;
        if (i + 1 < sampleCount) entries[i + 1] = byte & 0x0f;
      }
    }
    return { version, flags, sampleSize: 0, sampleCount, fieldSize, reserved, entries };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    const fieldSize = box.fieldSize ?? 16;
    writer
      .u24(box.reserved ?? 0)
      .u8(fieldSize)
      .u32(box.sampleCount); // reserved, field_size, sample_count
    const { entries } = box;
    for (let i = 0; i < entries.length; i++) {
      if (fieldSize === 16) writer.u16(entries[i]!);
      else if (fieldSize === 8) writer.u8(entries[i]!);
      else if (i % 2 === 0) writer.u8((entries[i]! << 4) | (entries[i + 1] ?? 0)); // two 4-bit entries
    }
  },
};

/** `stco` (8.7.5, 32-bit) and `co64` (64-bit): the file offset of each chunk. */
export interface ChunkOffsetBox extends FullBox {
  type: 'stco' | 'co64';
  /** Numbers, or a `BigUint64Array` when a co64 offset is above 2^53 - 1 (exact, see `Uint64Array`). */
  entries: Uint64Array;
}

/* aligned(8) class ChunkOffsetBox extends FullBox('stco', version = 0, 0) {
 *   unsigned int(32) entry_count; for (i=1; i <= entry_count; i++) { unsigned int(32) chunk_offset; } }
 * aligned(8) class ChunkLargeOffsetBox extends FullBox('co64', version = 0, 0) {
 *   unsigned int(32) entry_count; for (i=1; i <= entry_count; i++) { unsigned int(64) chunk_offset; } } */
const chunkOffsets = (type: 'stco' | 'co64'): BoxDecoder<ChunkOffsetBox> => ({
  type,
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // entry_count
    const bytesEach = type === 'co64' ? 8 : 4;
    needEntries(reader, context, count, bytesEach);
    return { version, flags, entries: readUint64Array(reader, count, bytesEach) }; // chunk_offset[]
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.entries.length); // entry_count
    for (const offset of box.entries) {
      if (type === 'co64')
        writer.u64(offset); // chunk_offset
      else writer.u32(Number(offset));
    }
  },
});
export const stco = chunkOffsets('stco');
export const co64 = chunkOffsets('co64');
