import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readFullBox, readUintV, unpackLanguage } from '../read/fields.js';
import { packLanguage, writeFullBox } from '../write/fields.js';

/** `mdhd` (ISO/IEC 14496-12 8.4.2): the media's timescale, duration and language. */
export interface MediaHeaderBox extends FullBox {
  type: 'mdhd';
  creationTime: Uint64;
  modificationTime: Uint64;
  /** Ticks per second of the media: sample durations, tfdt, ctts, sidx of the track. */
  timeScale: number;
  duration: Uint64;
  /** ISO-639-2/T code (`und`). */
  language: string;
  /** The pad bit before the language (0 in conforming files). */
  languagePad: number;
  /** unsigned int(16) pre_defined. */
  predefined: number;
}

/*
 * aligned(8) class MediaHeaderBox extends FullBox('mdhd', version, 0) {
 *   (creation_time, modification_time, timescale, duration: 64/64/32/64 bits in v1, 32 each in v0)
 *   bit(1) pad = 0; unsigned int(5)[3] language; unsigned int(16) pre_defined = 0; }
 */
export const mdhd: BoxDecoder<MediaHeaderBox> = {
  type: 'mdhd',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const creationTime = readUintV(reader, version); // creation_time
    const modificationTime = readUintV(reader, version); // modification_time
    const timeScale = reader.u32(); // timescale
    const duration = readUintV(reader, version); // duration
    const packed = reader.u16(); // pad, language
    return {
      version,
      flags,
      creationTime,
      modificationTime,
      timeScale,
      duration,
      language: unpackLanguage(packed),
      languagePad: packed >> 15,
      predefined: reader.u16(), // pre_defined
    };
  },
  write(box, writer) {
    const { version } = box;
    writeFullBox(writer, box);
    writer.uintV(box.creationTime, version).uintV(box.modificationTime, version); // creation_time, modification_time
    writer.u32(box.timeScale).uintV(box.duration, version); // timescale, duration
    writer.u16(packLanguage(box.language, box.languagePad)).u16(box.predefined); // pad, language, pre_defined
  },
};
