import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import {
  readBytes,
  readFixed8_8,
  readFixed16_16,
  readFullBox,
  readMatrix,
  readUintV,
} from '../read/fields.js';
import { writeFullBox, writeMatrix } from '../write/fields.js';

/** `mvhd` (ISO/IEC 14496-12 8.2.2): the movie's timescale and duration. */
export interface MovieHeaderBox extends FullBox {
  type: 'mvhd';
  /** Seconds since 1904-01-01 UTC. */
  creationTime: Uint64;
  modificationTime: Uint64;
  /** Ticks per second of `duration` (and of tkhd durations and edit segment durations). */
  timeScale: number;
  duration: Uint64;
  /** Preferred rate, 1.0 normal (16.16). */
  rate: number;
  /** Preferred volume, 1.0 full (8.8). */
  volume: number;
  /** bit(16) reserved. */
  reserved1: number;
  /** unsigned int(32)[2] reserved. */
  reserved2: Uint8Array;
  /** a, b, u, c, d, v, x, y, w as real numbers (u, v, w are 2.30; the rest 16.16). */
  matrix: number[];
  /** bit(32)[6] pre_defined. */
  predefined: Uint8Array;
  nextTrackId: number;
}

/*
 * aligned(8) class MovieHeaderBox extends FullBox('mvhd', version, 0) {
 *   if (version==1) { unsigned int(64) creation_time; unsigned int(64) modification_time;
 *                     unsigned int(32) timescale; unsigned int(64) duration; }
 *   else { unsigned int(32) creation_time; unsigned int(32) modification_time;
 *          unsigned int(32) timescale; unsigned int(32) duration; }
 *   template int(32) rate = 0x00010000; template int(16) volume = 0x0100;
 *   const bit(16) reserved = 0; const unsigned int(32)[2] reserved = 0;
 *   template int(32)[9] matrix; bit(32)[6] pre_defined = 0; unsigned int(32) next_track_ID; }
 */
export const mvhd: BoxDecoder<MovieHeaderBox> = {
  type: 'mvhd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const creationTime = readUintV(reader, version); // creation_time
    const modificationTime = readUintV(reader, version); // modification_time
    const timeScale = reader.u32(); // timescale
    const duration = readUintV(reader, version); // duration
    return {
      version,
      flags,
      creationTime,
      modificationTime,
      timeScale,
      duration,
      rate: readFixed16_16(reader), // rate
      volume: readFixed8_8(reader), // volume
      reserved1: reader.u16(), // reserved
      reserved2: readBytes(reader, 8), // reserved[2]
      matrix: readMatrix(reader), // matrix
      predefined: readBytes(reader, 24), // pre_defined[6]
      nextTrackId: reader.u32(), // next_track_ID
    };
  },
  write(box, writer) {
    const { version } = box;
    writeFullBox(writer, box);
    writer.uintV(box.creationTime, version).uintV(box.modificationTime, version); // creation_time, modification_time
    writer.u32(box.timeScale).uintV(box.duration, version); // timescale, duration
    writer.fixed16_16(box.rate).fixed8_8(box.volume).u16(box.reserved1).bytes(box.reserved2); // rate, volume, reserved
    writeMatrix(writer, box.matrix); // matrix
    writer.bytes(box.predefined).u32(box.nextTrackId); // pre_defined, next_track_ID
  },
};
