import type { ByteReader } from '@rec/core';
import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readFullBox, readUintV } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

export interface TrackFragmentRandomAccessEntry {
  /** Presentation time of the sync sample (media timescale). */
  time: Uint64;
  /** File offset of its moof. */
  moofOffset: Uint64;
  /** 1-based. */
  trafNumber: number;
  trunNumber: number;
  sampleNumber: number;
}

/** `tfra` (ISO/IEC 14496-12 8.8.10): a track's sync samples, by time, to their moof. */
export interface TrackFragmentRandomAccessBox extends FullBox {
  type: 'tfra';
  trackId: number;
  /** The 26 reserved bits. */
  reserved: number;
  /** length_size_of_traf_num: the field is this + 1 bytes. */
  lengthSizeOfTrafNumber: number;
  lengthSizeOfTrunNumber: number;
  lengthSizeOfSampleNumber: number;
  entries: TrackFragmentRandomAccessEntry[];
}

/** An unsigned integer of `bytes` bytes (1 to 4). */
function readUintN(reader: ByteReader, bytes: number): number {
  let value = 0;
  for (let i = 0; i < bytes; i++) value = value * 256 + reader.u8();
  return value;
}

/*
 * aligned(8) class TrackFragmentRandomAccessBox extends FullBox('tfra', version, 0) {
 *   unsigned int(32) track_ID; const unsigned int(26) reserved = 0;
 *   unsigned int(2) length_size_of_traf_num; unsigned int(2) length_size_of_trun_num; unsigned int(2) length_size_of_sample_num;
 *   unsigned int(32) number_of_entry;
 *   for(i=1; i <= number_of_entry; i++){
 *     if(version==1){ unsigned int(64) time; unsigned int(64) moof_offset; } else { unsigned int(32) time; unsigned int(32) moof_offset; }
 *     unsigned int((length_size_of_traf_num+1) * 8) traf_number; unsigned int((length_size_of_trun_num+1) * 8) trun_number;
 *     unsigned int((length_size_of_sample_num+1) * 8) sample_number; } }
 */
export const tfra: BoxDecoder<TrackFragmentRandomAccessBox> = {
  type: 'tfra',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const trackId = reader.u32(); // track_ID
    const sizes = reader.u32(); // reserved, length_size_of_traf_num, length_size_of_trun_num, length_size_of_sample_num
    const lengthSizeOfTrafNumber = (sizes >> 4) & 0x3;
    const lengthSizeOfTrunNumber = (sizes >> 2) & 0x3;
    const lengthSizeOfSampleNumber = sizes & 0x3;
    const count = reader.u32(); // number_of_entry
    const bytesEach =
      (version === 1 ? 16 : 8) +
      lengthSizeOfTrafNumber +
      lengthSizeOfTrunNumber +
      lengthSizeOfSampleNumber +
      3;
    needEntries(reader, context, count, bytesEach, 'number_of_entry');
    const entries: TrackFragmentRandomAccessEntry[] = [];
    for (let i = 0; i < count; i++) {
      entries.push({
        time: readUintV(reader, version), // time
        moofOffset: readUintV(reader, version), // moof_offset
        trafNumber: readUintN(reader, lengthSizeOfTrafNumber + 1), // traf_number
        trunNumber: readUintN(reader, lengthSizeOfTrunNumber + 1), // trun_number
        sampleNumber: readUintN(reader, lengthSizeOfSampleNumber + 1), // sample_number
      });
    }
    return {
      version,
      flags,
      trackId,
      reserved: sizes >>> 6,
      lengthSizeOfTrafNumber,
      lengthSizeOfTrunNumber,
      lengthSizeOfSampleNumber,
      entries,
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.trackId); // track_ID
    const sizes = [box.lengthSizeOfTrafNumber, box.lengthSizeOfTrunNumber, box.lengthSizeOfSampleNumber];
    writer.u32(box.reserved * 64 + ((sizes[0]! << 4) | (sizes[1]! << 2) | sizes[2]!)); // reserved, length sizes
    writer.u32(box.entries.length); // number_of_entry
    const uintN = (value: number, bytes: number) => {
      for (let i = bytes - 1; i >= 0; i--) writer.u8(Math.floor(value / 256 ** i) % 256);
    };
    for (const e of box.entries) {
      writer.uintV(e.time, box.version).uintV(e.moofOffset, box.version); // time, moof_offset
      uintN(e.trafNumber, sizes[0]! + 1); // traf_number
      uintN(e.trunNumber, sizes[1]! + 1); // trun_number
      uintN(e.sampleNumber, sizes[2]! + 1); // sample_number
    }
  },
};

/** `mfro` (8.8.11): the size of the enclosing mfra, so a reader can find it from the end of the file. */
export interface MovieFragmentRandomAccessOffsetBox extends FullBox {
  type: 'mfro';
  mfraSize: number;
}

/* aligned(8) class MovieFragmentRandomAccessOffsetBox extends FullBox('mfro', version, 0) { unsigned int(32) parent_size; } */
export const mfro: BoxDecoder<MovieFragmentRandomAccessOffsetBox> = {
  type: 'mfro',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, mfraSize: reader.u32() }; // parent_size
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.mfraSize); // parent_size
  },
};
