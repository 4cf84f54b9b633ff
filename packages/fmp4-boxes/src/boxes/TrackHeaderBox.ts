import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import {
  readBytes,
  readFixed8_8,
  readFullBox,
  readMatrix,
  readUfixed16_16,
  readUintV,
} from '../read/fields.js';
import { writeFullBox, writeMatrix } from '../write/fields.js';

/** tkhd flags (ISO/IEC 14496-12 8.3.2.3). */
export const TrackHeaderFlags = {
  Enabled: 0x000001,
  InMovie: 0x000002,
  InPreview: 0x000004,
  SizeIsAspectRatio: 0x000008,
} as const;

/** `tkhd` (ISO/IEC 14496-12 8.3.2): a track's id, duration (movie timescale) and visual size. */
export interface TrackHeaderBox extends FullBox {
  type: 'tkhd';
  creationTime: Uint64;
  modificationTime: Uint64;
  trackId: number;
  /** unsigned int(32) reserved. */
  reserved1: number;
  /** In the movie's timescale (mvhd). */
  duration: Uint64;
  /** unsigned int(32)[2] reserved. */
  reserved2: Uint8Array;
  layer: number;
  alternateGroup: number;
  /** 1.0 full (8.8), 0 for video. */
  volume: number;
  /** unsigned int(16) reserved. */
  reserved3: number;
  /** a, b, u, c, d, v, x, y, w as real numbers (u, v, w are 2.30; the rest 16.16). */
  matrix: number[];
  /** Presentation width and height (16.16). */
  width: number;
  height: number;
}

/*
 * aligned(8) class TrackHeaderBox extends FullBox('tkhd', version, flags) {
 *   if (version==1) { unsigned int(64) creation_time; unsigned int(64) modification_time;
 *                     unsigned int(32) track_ID; const unsigned int(32) reserved = 0; unsigned int(64) duration; }
 *   else { unsigned int(32) creation_time; unsigned int(32) modification_time;
 *          unsigned int(32) track_ID; const unsigned int(32) reserved = 0; unsigned int(32) duration; }
 *   const unsigned int(32)[2] reserved = 0; template int(16) layer = 0; template int(16) alternate_group = 0;
 *   template int(16) volume; const unsigned int(16) reserved = 0; template int(32)[9] matrix;
 *   unsigned int(32) width; unsigned int(32) height; }
 */
export const tkhd: BoxDecoder<TrackHeaderBox> = {
  type: 'tkhd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return {
      version,
      flags,
      creationTime: readUintV(reader, version), // creation_time
      modificationTime: readUintV(reader, version), // modification_time
      trackId: reader.u32(), // track_ID
      reserved1: reader.u32(), // reserved
      duration: readUintV(reader, version), // duration
      reserved2: readBytes(reader, 8), // reserved[2]
      layer: reader.i16(), // layer
      alternateGroup: reader.i16(), // alternate_group
      volume: readFixed8_8(reader), // volume
      reserved3: reader.u16(), // reserved
      matrix: readMatrix(reader), // matrix
      width: readUfixed16_16(reader), // width
      height: readUfixed16_16(reader), // height
    };
  },
  write(box, writer) {
    const { version } = box;
    writeFullBox(writer, box);
    writer.uintV(box.creationTime, version).uintV(box.modificationTime, version); // creation_time, modification_time
    writer.u32(box.trackId).u32(box.reserved1).uintV(box.duration, version); // track_ID, reserved, duration
    writer.bytes(box.reserved2).i16(box.layer).i16(box.alternateGroup); // reserved, layer, alternate_group
    writer.fixed8_8(box.volume).u16(box.reserved3); // volume, reserved
    writeMatrix(writer, box.matrix); // matrix
    writer.ufixed16_16(box.width).ufixed16_16(box.height); // width, height
  },
};
