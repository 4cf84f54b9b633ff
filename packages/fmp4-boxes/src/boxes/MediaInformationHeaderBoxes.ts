import type { FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readFixed8_8, readFullBox } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

/** `vmhd` (ISO/IEC 14496-12 12.1.2): video media header. */
export interface VideoMediaHeaderBox extends FullBox {
  type: 'vmhd';
  graphicsMode: number;
  /** unsigned int(16)[3] opcolor (red, green, blue). */
  opColor: [number, number, number];
}

/* aligned(8) class VideoMediaHeaderBox extends FullBox('vmhd', version = 0, 1) {
 *   template unsigned int(16) graphicsmode = 0; template unsigned int(16)[3] opcolor = {0, 0, 0}; } */
export const vmhd: BoxDecoder<VideoMediaHeaderBox> = {
  type: 'vmhd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const graphicsMode = reader.u16(); // graphicsmode
    const opColor: [number, number, number] = [reader.u16(), reader.u16(), reader.u16()]; // opcolor
    return { version, flags, graphicsMode, opColor };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u16(box.graphicsMode); // graphicsmode
    for (const c of box.opColor) writer.u16(c); // opcolor
  },
};

/** `smhd` (ISO/IEC 14496-12 12.2.2): sound media header. */
export interface SoundMediaHeaderBox extends FullBox {
  type: 'smhd';
  /** -1 full left, 0 centre, 1 full right (8.8). */
  balance: number;
  reserved: number;
}

/* aligned(8) class SoundMediaHeaderBox extends FullBox('smhd', version = 0, 0) {
 *   template int(16) balance = 0; const unsigned int(16) reserved = 0; } */
export const smhd: BoxDecoder<SoundMediaHeaderBox> = {
  type: 'smhd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, balance: readFixed8_8(reader), reserved: reader.u16() }; // balance, reserved
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.fixed8_8(box.balance).u16(box.reserved); // balance, reserved
  },
};

/** `hmhd` (ISO/IEC 14496-12 12.4.2): hint media header. */
export interface HintMediaHeaderBox extends FullBox {
  type: 'hmhd';
  maxPduSize: number;
  avgPduSize: number;
  maxBitrate: number;
  avgBitrate: number;
  reserved: number;
}

/* aligned(8) class HintMediaHeaderBox extends FullBox('hmhd', version = 0, 0) {
 *   unsigned int(16) maxPDUsize; unsigned int(16) avgPDUsize; unsigned int(32) maxbitrate;
 *   unsigned int(32) avgbitrate; unsigned int(32) reserved = 0; } */
export const hmhd: BoxDecoder<HintMediaHeaderBox> = {
  type: 'hmhd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return {
      version,
      flags,
      maxPduSize: reader.u16(), // maxPDUsize
      avgPduSize: reader.u16(), // avgPDUsize
      maxBitrate: reader.u32(), // maxbitrate
      avgBitrate: reader.u32(), // avgbitrate
      reserved: reader.u32(), // reserved
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u16(box.maxPduSize).u16(box.avgPduSize).u32(box.maxBitrate).u32(box.avgBitrate).u32(box.reserved);
  },
};

/** `nmhd` (8.4.5.2 null media header) and `sthd` (12.6.2 subtitle media header): a FullBox and nothing else. */
export interface EmptyFullBox extends FullBox {
  type: 'nmhd' | 'sthd';
}

const emptyFullBox = (type: 'nmhd' | 'sthd'): BoxDecoder<EmptyFullBox> => ({
  type,
  read: (reader) => readFullBox(reader),
  write: (box, writer) => writeFullBox(writer, box),
});
export const nmhd = emptyFullBox('nmhd');
export const sthd = emptyFullBox('sthd');
