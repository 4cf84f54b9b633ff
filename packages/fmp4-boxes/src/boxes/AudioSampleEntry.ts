import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readBytes, readFloat64, readUfixed16_16 } from '../read/fields.js';
import { alacCookie } from './AudioConfigurationBoxes.js';
import { inStsd, readSampleEntry, type SampleEntry, writeSampleEntry } from './SampleEntry.js';

/**
 * An audio sample entry (ISO/IEC 14496-12 12.2.3), read as Bento4 and
 * QuickTime read it: the first 8 reserved bytes are QuickTime's sound
 * description version, revision and vendor, and versions 1 and 2 add the
 * fields below (QTFF "Sound sample description"). Codec config boxes are children.
 */
export interface AudioSampleEntry extends SampleEntry {
  /** 0, or QuickTime's 1 or 2 (ISO's AudioSampleEntryV1 `entry_version` in a version 1 `stsd`). */
  qtVersion: number;
  qtRevision: number;
  qtVendor: number;
  channelCount: number;
  /** Bits per sample. */
  sampleSize: number;
  /** QuickTime compression id (0, or -2 in version 2); ISO's pre_defined. */
  qtCompressionId: number;
  qtPacketSize: number;
  /** Samples per second (16.16; 0x10000 in QuickTime version 2, where `qtV2SampleRate64` holds it). */
  sampleRate: number;
  qtV1SamplesPerPacket?: number;
  qtV1BytesPerPacket?: number;
  qtV1BytesPerFrame?: number;
  qtV1BytesPerSample?: number;
  qtV2StructSize?: number;
  qtV2SampleRate64?: number;
  qtV2ChannelCount?: number;
  qtV2Reserved?: number;
  qtV2BitsPerChannel?: number;
  qtV2FormatSpecificFlags?: number;
  qtV2BytesPerAudioPacket?: number;
  qtV2LpcmFramesPerAudioPacket?: number;
  /** Bytes of a version 2 struct beyond its 72. */
  qtV2Extension?: Uint8Array;
  children?: Box[];
}

/*
 * class AudioSampleEntry(codingname) extends SampleEntry (codingname) {
 *   const unsigned int(32)[2] reserved = 0; template unsigned int(16) channelcount = 2;
 *   template unsigned int(16) samplesize = 16; unsigned int(16) pre_defined = 0;
 *   const unsigned int(16) reserved = 0 ; template unsigned int(32) samplerate = { default samplerate of media}<<16; }
 */
export const audioSampleEntry = (type: string): BoxDecoder<AudioSampleEntry> => ({
  type,
  container: true,
  accepts: inStsd,
  // ALAC's magic cookie is a child of the same fourcc as its sample entry.
  childDecoder: type === 'alac' ? (child) => (child === 'alac' ? alacCookie : undefined) : undefined,
  read(reader, context) {
    const entry = readSampleEntry(reader);
    const qtVersion = reader.u16(); // reserved[0] (QuickTime version)
    const qtRevision = reader.u16(); // (QuickTime revision level)
    const qtVendor = reader.u32(); // reserved[1] (QuickTime vendor)
    const fields: Omit<AudioSampleEntry, keyof Box> = {
      ...entry,
      qtVersion,
      qtRevision,
      qtVendor,
      channelCount: reader.u16(), // channelcount
      sampleSize: reader.u16(), // samplesize
      qtCompressionId: reader.i16(), // pre_defined (QuickTime compression ID)
      qtPacketSize: reader.u16(), // reserved (QuickTime packet size)
      sampleRate: readUfixed16_16(reader), // samplerate
    };
    // In a version 1 stsd, entry_version 1 is ISO's AudioSampleEntryV1: no QuickTime fields follow.
    const iso = (context.ancestors.at(-1) as { version?: number } | undefined)?.version === 1;
    if (qtVersion === 1 && !iso) {
      fields.qtV1SamplesPerPacket = reader.u32(); // samples per packet
      fields.qtV1BytesPerPacket = reader.u32(); // bytes per packet
      fields.qtV1BytesPerFrame = reader.u32(); // bytes per frame
      fields.qtV1BytesPerSample = reader.u32(); // bytes per sample
    } else if (qtVersion === 2 && !iso) {
      const structSize = reader.u32(); // sizeOfStructOnly
      fields.qtV2StructSize = structSize;
      fields.qtV2SampleRate64 = readFloat64(reader); // audioSampleRate
      fields.qtV2ChannelCount = reader.u32(); // numAudioChannels
      fields.qtV2Reserved = reader.u32(); // always7F000000
      fields.qtV2BitsPerChannel = reader.u32(); // constBitsPerChannel
      fields.qtV2FormatSpecificFlags = reader.u32(); // formatSpecificFlags
      fields.qtV2BytesPerAudioPacket = reader.u32(); // constBytesPerAudioPacket
      fields.qtV2LpcmFramesPerAudioPacket = reader.u32(); // constLPCMFramesPerAudioPacket
      if (structSize > 72)
        fields.qtV2Extension = readBytes(reader, Math.min(structSize - 72, reader.remaining));
    }
    return fields;
  },
  write(box, writer, context) {
    writeSampleEntry(writer, box);
    writer.u16(box.qtVersion).u16(box.qtRevision).u32(box.qtVendor); // reserved (QuickTime version, revision, vendor)
    writer.u16(box.channelCount).u16(box.sampleSize); // channelcount, samplesize
    writer.i16(box.qtCompressionId).u16(box.qtPacketSize).ufixed16_16(box.sampleRate); // pre_defined, reserved, samplerate
    const iso = (context.ancestors.at(-1) as { version?: number } | undefined)?.version === 1;
    if (box.qtVersion === 1 && !iso) {
      writer.u32(box.qtV1SamplesPerPacket ?? 0).u32(box.qtV1BytesPerPacket ?? 0);
      writer.u32(box.qtV1BytesPerFrame ?? 0).u32(box.qtV1BytesPerSample ?? 0);
    } else if (box.qtVersion === 2 && !iso) {
      writer
        .u32(box.qtV2StructSize ?? 72)
        .f64(box.qtV2SampleRate64 ?? 0)
        .u32(box.qtV2ChannelCount ?? 0);
      writer
        .u32(box.qtV2Reserved ?? 0x7f000000)
        .u32(box.qtV2BitsPerChannel ?? 0)
        .u32(box.qtV2FormatSpecificFlags ?? 0);
      writer.u32(box.qtV2BytesPerAudioPacket ?? 0).u32(box.qtV2LpcmFramesPerAudioPacket ?? 0);
      if (box.qtV2Extension) writer.bytes(box.qtV2Extension);
    }
  },
});

/** The audio formats decoded as AudioSampleEntry (ISO/IEC 14496-14, Opus-in-ISOBMFF, ETSI TS 102 366, FLAC, ALAC, QuickTime PCM...). */
export const audioSampleEntryTypes = [
  'mp4a', // ISO/IEC 14496-14 6.7
  'enca', // ISO/IEC 14496-12 8.12
  'Opus', // Encapsulation of Opus in ISOBMFF 4.3
  'ac-3',
  'ec-3',
  'ac-4', // ETSI TS 102 366 F.3, F.5; ETSI TS 103 190
  'fLaC', // Encapsulation of FLAC in ISOBMFF 3.3
  'alac', // Apple Lossless
  '.mp3',
  'mp3 ', // MPEG-1 layer 3 (QuickTime)
  'sowt',
  'twos',
  'lpcm',
  'ipcm',
  'fpcm',
  'in24',
  'in32',
  'fl32',
  'fl64',
  'NONE',
  'ulaw',
  'alaw', // PCM
  'samr',
  'sawb',
  'sawp', // 3GPP AMR
  'mha1',
  'mha2',
  'mhm1',
  'mhm2', // MPEG-H 3D audio
  'dtsc',
  'dtsh',
  'dtsl',
  'dtse',
  'dtsx', // DTS
  'mlpa', // Dolby TrueHD
] as const;

export const audioSampleEntryDecoders: readonly BoxDecoder[] = audioSampleEntryTypes.map(audioSampleEntry);
