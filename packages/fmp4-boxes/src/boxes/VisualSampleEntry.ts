import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readBytes, readUfixed16_16, sameBytes } from '../read/fields.js';
import { inStsd, readSampleEntry, type SampleEntry, writeSampleEntry } from './SampleEntry.js';

const utf8 = new TextDecoder('utf-8');

/** A video sample entry (ISO/IEC 14496-12 12.1.3): size, resolution, compressor name; codec config boxes are children. */
export interface VisualSampleEntry extends SampleEntry {
  /** unsigned int(16) pre_defined. */
  predefined1: number;
  /** const unsigned int(16) reserved. */
  reserved2: number;
  /** unsigned int(32)[3] pre_defined. */
  predefined2: Uint8Array;
  width: number;
  height: number;
  /** Pixels per inch (16.16), 72 by default. */
  horizResolution: number;
  vertResolution: number;
  /** const unsigned int(32) reserved. */
  reserved3: number;
  frameCount: number;
  /** The 32-byte Pascal string (a length byte, then up to 31 bytes). */
  compressorName: string;
  /**
   * The 32 bytes of compressorname as read, when they are not the
   * canonical form of `compressorName` (a length byte, the UTF-8 name, zero
   * padding): bytes after the name, a length above 31, invalid UTF-8. The
   * writer writes them back while `compressorName` is still the name they
   * decode to; after an edit of the name it writes the canonical form.
   */
  compressorNameBytes?: Uint8Array;
  /** `depth` in 12.1.3 (0x18: colour, no alpha); renamed from the tree's `depth`. */
  pixelDepth: number;
  /** int(16) pre_defined (-1). */
  predefined3: number;
  children?: Box[];
}

/*
 * class VisualSampleEntry(codingname) extends SampleEntry (codingname) {
 *   unsigned int(16) pre_defined = 0; const unsigned int(16) reserved = 0;
 *   unsigned int(32)[3] pre_defined = 0; unsigned int(16) width; unsigned int(16) height;
 *   template unsigned int(32) horizresolution = 0x00480000; template unsigned int(32) vertresolution = 0x00480000;
 *   const unsigned int(32) reserved = 0; template unsigned int(16) frame_count = 1;
 *   string[32] compressorname; template unsigned int(16) depth = 0x0018; int(16) pre_defined = -1;
 *   // other boxes from derived specifications
 *   CleanApertureBox clap; PixelAspectRatioBox pasp; }
 */
export const visualSampleEntry = (type: string): BoxDecoder<VisualSampleEntry> => ({
  type,
  container: true,
  accepts: inStsd,
  read(reader) {
    const entry = readSampleEntry(reader);
    const predefined1 = reader.u16(); // pre_defined
    const reserved2 = reader.u16(); // reserved
    const predefined2 = readBytes(reader, 12); // pre_defined[3]
    const width = reader.u16(); // width
    const height = reader.u16(); // height
    const horizResolution = readUfixed16_16(reader); // horizresolution
    const vertResolution = readUfixed16_16(reader); // vertresolution
    const reserved3 = reader.u32(); // reserved
    const frameCount = reader.u16(); // frame_count
    const name = reader.bytesView(32); // compressorname
    const compressorName = decodeCompressorName(name);
    const fields: Omit<VisualSampleEntry, keyof Box> = {
      ...entry,
      predefined1,
      reserved2,
      predefined2,
      width,
      height,
      horizResolution,
      vertResolution,
      reserved3,
      frameCount,
      compressorName,
      pixelDepth: reader.u16(), // depth
      predefined3: reader.i16(), // pre_defined
    };
    if (!sameBytes(encodeCompressorName(compressorName), name)) fields.compressorNameBytes = name.slice();
    return fields;
  },
  write(box, writer) {
    writeSampleEntry(writer, box);
    writer.u16(box.predefined1).u16(box.reserved2).bytes(box.predefined2); // pre_defined, reserved, pre_defined[3]
    writer.u16(box.width).u16(box.height); // width, height
    writer.ufixed16_16(box.horizResolution).ufixed16_16(box.vertResolution); // horizresolution, vertresolution
    writer.u32(box.reserved3).u16(box.frameCount); // reserved, frame_count
    const raw = box.compressorNameBytes;
    const keep = raw?.length === 32 && decodeCompressorName(raw) === box.compressorName;
    writer.bytes(keep ? raw : encodeCompressorName(box.compressorName)); // compressorname
    writer.u16(box.pixelDepth).i16(box.predefined3); // depth, pre_defined
  },
});

/** string[32] compressorname: a length byte (up to 31), then the name. */
function decodeCompressorName(field: Uint8Array): string {
  return utf8.decode(field.subarray(1, 1 + Math.min(field[0]!, 31)));
}

/** The canonical compressorname: the length byte, the UTF-8 name (31 bytes at most), zeros. */
function encodeCompressorName(name: string): Uint8Array {
  const bytes = new TextEncoder().encode(name).subarray(0, 31);
  const field = new Uint8Array(32);
  field[0] = bytes.length;
  field.set(bytes, 1);
  return field;
}

/** The video formats decoded as VisualSampleEntry (ISO/IEC 14496-15, AV1-ISOBMFF, VP-ISOBMFF, QuickTime). */
export const visualSampleEntryTypes = [
  'avc1',
  'avc2',
  'avc3',
  'avc4', // ISO/IEC 14496-15 5.4
  'hvc1',
  'hev1',
  'hvc2',
  'hev2', // ISO/IEC 14496-15 8.4
  'vvc1',
  'vvi1', // ISO/IEC 14496-15 11
  'dvh1',
  'dvhe',
  'dva1',
  'dvav',
  'dav1', // Dolby Vision
  'av01', // AV1 Codec ISO Media File Format Binding 2.2
  'vp08',
  'vp09', // VP Codec ISO Media File Format Binding
  'mp4v', // ISO/IEC 14496-14 6.7
  'encv',
  'resv', // ISO/IEC 14496-12 8.12 (protected, restricted)
  's263',
  'h263',
  'mjp2',
  'jpeg',
  'mjpa',
  'mjpb',
  'png ',
  'yuv2',
  '2vuy',
  'v210',
  'apco',
  'apcs',
  'apcn',
  'apch',
  'ap4h',
  'ap4x', // Apple ProRes (QuickTime)
  'dvh5',
  'dvc ',
  'dvcp',
  'dv5n',
  'dv5p',
  'avdn',
  'avdh', // DV, DNxHD
] as const;

export const visualSampleEntryDecoders: readonly BoxDecoder[] = visualSampleEntryTypes.map(visualSampleEntry);
