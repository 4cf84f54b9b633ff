import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readBytes } from '../read/fields.js';
import { inStsd, readSampleEntry, type SampleEntry, writeSampleEntry } from './SampleEntry.js';

const utf8 = new TextDecoder('utf-8');

/** Sample entries with no fields of their own, only child boxes (`wvtt` with vttC, `mp4s` with esds, `c608`). */
export interface PlainSampleEntry extends SampleEntry {
  children?: Box[];
}

const plain = (type: string): BoxDecoder<PlainSampleEntry> => ({
  type,
  container: true,
  accepts: inStsd,
  read: readSampleEntry,
  write: (box, writer) => writeSampleEntry(writer, box),
});

/** `stpp` (ISO/IEC 14496-30 / 14496-12 12.6.3.2): XMLSubtitleSampleEntry (TTML). */
export interface XmlSubtitleSampleEntry extends SampleEntry {
  type: 'stpp';
  namespace: string;
  schemaLocation: string;
  auxiliaryMimeTypes: string;
  children?: Box[];
}

/* class XMLSubtitleSampleEntry() extends SubtitleSampleEntry ('stpp') { utf8list namespace; utf8list schema_location;
 *   utf8list auxiliary_mime_types; BitRateBox (); } */
export const stpp: BoxDecoder<XmlSubtitleSampleEntry> = {
  type: 'stpp',
  container: true,
  accepts: inStsd,
  read(reader) {
    const entry = readSampleEntry(reader);
    return {
      ...entry,
      namespace: reader.cstring(), // namespace
      schemaLocation: reader.cstring(), // schema_location
      auxiliaryMimeTypes: reader.cstring(), // auxiliary_mime_types
    };
  },
  write(box, writer) {
    writeSampleEntry(writer, box);
    writer.cstring(box.namespace).cstring(box.schemaLocation).cstring(box.auxiliaryMimeTypes);
  },
};

/** `tx3g` (3GPP TS 26.245 5.16): timed text sample entry. */
export interface TextSampleEntry extends SampleEntry {
  type: 'tx3g';
  displayFlags: number;
  horizontalJustification: number;
  verticalJustification: number;
  /** RGBA. */
  backgroundColor: Uint8Array;
  /** BoxRecord: top, left, bottom, right. */
  defaultTextBox: [number, number, number, number];
  /** StyleRecord: startChar, endChar, fontID, face style flags, font size, then the RGBA text colour. */
  defaultStyle: {
    startChar: number;
    endChar: number;
    fontId: number;
    faceStyleFlags: number;
    fontSize: number;
    textColor: Uint8Array;
  };
  children?: Box[];
}

/* class TextSampleEntry() extends SampleEntry ('tx3g') { unsigned int(32) displayFlags;
 *   signed int(8) horizontal-justification; signed int(8) vertical-justification; unsigned int(8) background-color-rgba[4];
 *   BoxRecord default-text-box; StyleRecord default-style; FontTableBox font-table; DisparityBox default-disparity; } */
export const tx3g: BoxDecoder<TextSampleEntry> = {
  type: 'tx3g',
  container: true,
  accepts: inStsd,
  read(reader) {
    const entry = readSampleEntry(reader);
    return {
      ...entry,
      displayFlags: reader.u32(), // displayFlags
      horizontalJustification: reader.i8(), // horizontal-justification
      verticalJustification: reader.i8(), // vertical-justification
      backgroundColor: readBytes(reader, 4), // background-color-rgba
      defaultTextBox: [reader.i16(), reader.i16(), reader.i16(), reader.i16()], // top, left, bottom, right
      defaultStyle: {
        startChar: reader.u16(), // startChar
        endChar: reader.u16(), // endChar
        fontId: reader.u16(), // font-ID
        faceStyleFlags: reader.u8(), // face-style-flags
        fontSize: reader.u8(), // font-size
        textColor: readBytes(reader, 4), // text-color-rgba
      },
    };
  },
  write(box, writer) {
    writeSampleEntry(writer, box);
    writer.u32(box.displayFlags).i8(box.horizontalJustification).i8(box.verticalJustification);
    writer.bytes(box.backgroundColor); // background-color-rgba
    for (const edge of box.defaultTextBox) writer.i16(edge); // top, left, bottom, right
    const style = box.defaultStyle;
    writer
      .u16(style.startChar)
      .u16(style.endChar)
      .u16(style.fontId)
      .u8(style.faceStyleFlags)
      .u8(style.fontSize);
    writer.bytes(style.textColor); // text-color-rgba
  },
};

/** `tmcd` (QuickTime "Timecode sample description"). */
export interface TimecodeSampleEntry extends SampleEntry {
  type: 'tmcd';
  reserved2: number;
  /** Drop frame (1), 24-hour max (2), negative times OK (4), counter (8). */
  timecodeFlags: number;
  timeScale: number;
  frameDuration: number;
  numberOfFrames: number;
  reserved3: number;
  children?: Box[];
}

/* Timecode sample description: reserved(32) flags(32) time scale(32) frame duration(32) number of frames(8) reserved(8), then a 'name' atom. */
export const tmcd: BoxDecoder<TimecodeSampleEntry> = {
  type: 'tmcd',
  container: true,
  accepts: inStsd,
  read(reader) {
    const entry = readSampleEntry(reader);
    return {
      ...entry,
      reserved2: reader.u32(), // reserved
      timecodeFlags: reader.u32(), // flags
      timeScale: reader.u32(), // time scale
      frameDuration: reader.u32(), // frame duration
      numberOfFrames: reader.u8(), // number of frames
      reserved3: reader.u8(), // reserved
    };
  },
  write(box, writer) {
    writeSampleEntry(writer, box);
    writer.u32(box.reserved2).u32(box.timecodeFlags).u32(box.timeScale).u32(box.frameDuration);
    writer.u8(box.numberOfFrames).u8(box.reserved3);
  },
};

/** `vttC` (ISO/IEC 14496-30 7.5): the WebVTT file header; `vlab`: the source label. */
export interface WebVttStringBox extends Box {
  type: 'vttC' | 'vlab';
  text: string;
}

const vttString = (type: 'vttC' | 'vlab'): BoxDecoder<WebVttStringBox> => ({
  type,
  read: (reader) => ({ text: utf8.decode(reader.bytesView(reader.remaining)) }), // config / source_label
  write(box, writer) {
    writer.utf8(box.text);
  },
});

export const otherSampleEntryDecoders: readonly BoxDecoder[] = [
  plain('wvtt'), // 14496-30 7.5 WVTTSampleEntry
  plain('mp4s'), // 14496-14 6.7 MpegSampleEntry
  plain('c608'), // 14496-30 CEA-608 captions
  plain('c708'),
  stpp,
  tx3g,
  tmcd,
  vttString('vttC'),
  vttString('vlab'),
];
