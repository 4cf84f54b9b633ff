import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';

/** `btrt` (ISO/IEC 14496-12 8.5.2.2): a stream's decoding buffer size and bit rates. */
export interface BitRateBox extends Box {
  type: 'btrt';
  bufferSizeDb: number;
  /** Bits per second over any one second. */
  maxBitrate: number;
  avgBitrate: number;
}

/* aligned(8) class BitRateBox extends Box('btrt') {
 *   unsigned int(32) bufferSizeDB; unsigned int(32) maxBitrate; unsigned int(32) avgBitrate; } */
export const btrt: BoxDecoder<BitRateBox> = {
  type: 'btrt',
  read: (reader) => ({
    bufferSizeDb: reader.u32(), // bufferSizeDB
    maxBitrate: reader.u32(), // maxBitrate
    avgBitrate: reader.u32(), // avgBitrate
  }),
  write(box, writer) {
    writer.u32(box.bufferSizeDb).u32(box.maxBitrate).u32(box.avgBitrate); // bufferSizeDB, maxBitrate, avgBitrate
  },
};

/** `pasp` (ISO/IEC 14496-12 12.1.4): pixel aspect ratio, hSpacing:vSpacing. */
export interface PixelAspectRatioBox extends Box {
  type: 'pasp';
  hSpacing: number;
  vSpacing: number;
}

/* class PixelAspectRatioBox extends Box('pasp') { unsigned int(32) hSpacing; unsigned int(32) vSpacing; } */
export const pasp: BoxDecoder<PixelAspectRatioBox> = {
  type: 'pasp',
  read: (reader) => ({ hSpacing: reader.u32(), vSpacing: reader.u32() }), // hSpacing, vSpacing
  write(box, writer) {
    writer.u32(box.hSpacing).u32(box.vSpacing); // hSpacing, vSpacing
  },
};
