import type { Box, FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { BitReader } from '../read/BitReader.js';
import { readBytes, readFullBox, readRest } from '../read/fields.js';
import { BitWriter } from '../write/ByteWriter.js';
import { writeFullBox } from '../write/fields.js';

/** `dac3` (ETSI TS 102 366 F.4): AC3SpecificBox. */
export interface Ac3SpecificBox extends Box {
  type: 'dac3';
  /** 0 48 kHz, 1 44.1 kHz, 2 32 kHz. */
  fscod: number;
  bsid: number;
  bsmod: number;
  /** Audio coding mode (channel layout, Table 4.3). */
  acmod: number;
  lfeon: number;
  /** bit_rate_code (Table F.4.1: 10 is 192 kbit/s...). */
  bitRateCode: number;
  reserved: number;
}

/** `dmlp` (Dolby TrueHD in ISOBMFF, MLPSpecificBox): the stream's format and peak data rate. */
export interface MlpSpecificBox extends Box {
  type: 'dmlp';
  formatInfo: number;
  /** unsigned int(15) peak_data_rate. */
  peakDataRate: number;
  /** The bit after peak_data_rate, then 32 reserved bits. */
  reserved1: number;
  reserved2: number;
}

/* class MLPSpecificBox { unsigned int(32) format_info; unsigned int(15) peak_data_rate; unsigned int(1) reserved = 0;
 *   unsigned int(32) reserved = 0; } */
export const dmlp: BoxDecoder<MlpSpecificBox> = {
  type: 'dmlp',
  read(reader) {
    const formatInfo = reader.u32(); // format_info
    const rate = reader.u16(); // peak_data_rate, reserved
    return { formatInfo, peakDataRate: rate >> 1, reserved1: rate & 1, reserved2: reader.u32() }; // reserved
  },
  write(box, writer) {
    writer
      .u32(box.formatInfo)
      .u16((box.peakDataRate << 1) | box.reserved1)
      .u32(box.reserved2);
  },
};

/* class AC3SpecificBox { unsigned int(2) fscod; unsigned int(5) bsid; unsigned int(3) bsmod; unsigned int(3) acmod;
 *   unsigned int(1) lfeon; unsigned int(5) bit_rate_code; unsigned int(5) reserved = 0; } */
export const dac3: BoxDecoder<Ac3SpecificBox> = {
  type: 'dac3',
  read(reader) {
    const bits = new BitReader(reader);
    return {
      fscod: bits.bits(2), // fscod
      bsid: bits.bits(5), // bsid
      bsmod: bits.bits(3), // bsmod
      acmod: bits.bits(3), // acmod
      lfeon: bits.bits(1), // lfeon
      bitRateCode: bits.bits(5), // bit_rate_code
      reserved: bits.bits(5), // reserved
    };
  },
  write(box, writer) {
    const bits = new BitWriter(writer);
    bits.bits(2, box.fscod).bits(5, box.bsid).bits(3, box.bsmod).bits(3, box.acmod);
    bits.bits(1, box.lfeon).bits(5, box.bitRateCode).bits(5, box.reserved);
  },
};

export interface Ec3Substream {
  fscod: number;
  bsid: number;
  reserved1: number;
  asvc: number;
  bsmod: number;
  acmod: number;
  lfeon: number;
  reserved2: number;
  numDepSub: number;
  /** chan_loc when num_dep_sub > 0, else the reserved bit. */
  chanLoc: number;
}

/** `dec3` (ETSI TS 102 366 F.6): EC3SpecificBox. */
export interface Ec3SpecificBox extends Box {
  type: 'dec3';
  /** kbit/s. */
  dataRate: number;
  subStreams: Ec3Substream[];
  /** Bytes after the substreams (Dolby Atmos: reserved(7) flag_ec3_extension_type_a(1) complexity_index_type_a(8)). */
  extension: Uint8Array;
  flagEc3ExtensionTypeA?: number;
  complexityIndexTypeA?: number;
}

/*
 * class EC3SpecificBox { unsigned int(13) data_rate; unsigned int(3) num_ind_sub;
 *   for (i = 0; i < num_ind_sub + 1; i++) { unsigned int(2) fscod; unsigned int(5) bsid; unsigned int(1) reserved = 0;
 *     unsigned int(1) asvc; unsigned int(3) bsmod; unsigned int(3) acmod; unsigned int(1) lfeon; unsigned int(3) reserved = 0;
 *     unsigned int(4) num_dep_sub; if (num_dep_sub > 0) { unsigned int(9) chan_loc; } else { unsigned int(1) reserved = 0; } } }
 */
export const dec3: BoxDecoder<Ec3SpecificBox> = {
  type: 'dec3',
  read(reader) {
    const bits = new BitReader(reader);
    const dataRate = bits.bits(13); // data_rate
    const count = bits.bits(3) + 1; // num_ind_sub
    const subStreams: Ec3Substream[] = [];
    for (let i = 0; i < count; i++) {
      const fscod = bits.bits(2); // fscod
      const bsid = bits.bits(5); // bsid
      const reserved1 = bits.bits(1); // reserved
      const asvc = bits.bits(1); // asvc
      const bsmod = bits.bits(3); // bsmod
      const acmod = bits.bits(3); // acmod
      const lfeon = bits.bits(1); // lfeon
      const reserved2 = bits.bits(3); // reserved
      const numDepSub = bits.bits(4); // num_dep_sub
      const chanLoc = bits.bits(numDepSub > 0 ? 9 : 1); // chan_loc / reserved
      subStreams.push({ fscod, bsid, reserved1, asvc, bsmod, acmod, lfeon, reserved2, numDepSub, chanLoc });
    }
    const extension = readRest(reader);
    const fields: Omit<Ec3SpecificBox, keyof Box> = { dataRate, subStreams, extension };
    if (extension.length >= 2) {
      fields.flagEc3ExtensionTypeA = extension[0]! & 1; // reserved(7), flag_ec3_extension_type_a
      fields.complexityIndexTypeA = extension[1]!; // complexity_index_type_a
    }
    return fields;
  },
  write(box, writer) {
    const bits = new BitWriter(writer);
    bits.bits(13, box.dataRate).bits(3, box.subStreams.length - 1); // data_rate, num_ind_sub
    for (const s of box.subStreams) {
      bits.bits(2, s.fscod).bits(5, s.bsid).bits(1, s.reserved1).bits(1, s.asvc).bits(3, s.bsmod);
      bits.bits(3, s.acmod).bits(1, s.lfeon).bits(3, s.reserved2).bits(4, s.numDepSub);
      bits.bits(s.numDepSub > 0 ? 9 : 1, s.chanLoc); // chan_loc / reserved
    }
    bits.flush();
    writer.bytes(box.extension);
  },
};

export interface FlacMetadataBlock {
  /** last-metadata-block flag. */
  last: boolean;
  /** 0 STREAMINFO, 1 PADDING, 2 APPLICATION, 3 SEEKTABLE, 4 VORBIS_COMMENT, 5 CUESHEET, 6 PICTURE. */
  blockType: number;
  data: Uint8Array;
}

/** The fields of a STREAMINFO block (FLAC format "METADATA_BLOCK_STREAMINFO"). */
export interface FlacStreamInfo {
  minBlockSize: number;
  maxBlockSize: number;
  minFrameSize: number;
  maxFrameSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalSamples: number;
  md5: Uint8Array;
}

/** `dfLa` (Encapsulation of FLAC in ISO Base Media File Format 3.3.2): the FLAC metadata blocks. */
export interface FlacSpecificBox extends FullBox {
  type: 'dfLa';
  blocks: FlacMetadataBlock[];
  /** The first block's fields, when it is a STREAMINFO of 34 bytes. */
  streamInfo?: FlacStreamInfo;
}

/* class FLACSpecificBox extends FullBox('dfLa', version=0, 0){ for (i=0; ; i++) { FLACMetadataBlock Metadata; if (Metadata.LastMetadataBlockFlag) break; } }
 * FLACMetadataBlock: unsigned int(1) LastMetadataBlockFlag; unsigned int(7) BlockType; unsigned int(24) Length; unsigned int(8) BlockData[Length]; */
export const dfLa: BoxDecoder<FlacSpecificBox> = {
  type: 'dfLa',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const blocks: FlacMetadataBlock[] = [];
    while (reader.remaining > 0) {
      const head = reader.u8(); // LastMetadataBlockFlag, BlockType
      const length = reader.u24(); // Length
      blocks.push({ last: head >> 7 === 1, blockType: head & 0x7f, data: readBytes(reader, length) }); // BlockData
      if (head >> 7 === 1) break;
    }
    const fields: Omit<FlacSpecificBox, keyof Box> = { version, flags, blocks };
    const first = blocks[0];
    if (first?.blockType === 0 && first.data.length === 34) {
      const d = first.data;
      const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
      const packed = view.getUint32(10); // sample rate (20), channels - 1 (3), bits per sample - 1 (5), total samples high 4 bits
      fields.streamInfo = {
        minBlockSize: view.getUint16(0),
        maxBlockSize: view.getUint16(2),
        minFrameSize: (d[4]! << 16) | (d[5]! << 8) | d[6]!,
        maxFrameSize: (d[7]! << 16) | (d[8]! << 8) | d[9]!,
        sampleRate: packed >>> 12,
        channels: ((packed >>> 9) & 0x07) + 1,
        bitsPerSample: ((packed >>> 4) & 0x1f) + 1,
        totalSamples: (packed & 0x0f) * 2 ** 32 + view.getUint32(14),
        md5: d.slice(18, 34),
      };
    }
    return fields;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    for (const block of box.blocks) {
      writer
        .u8((block.last ? 0x80 : 0) | block.blockType)
        .u24(block.data.length)
        .bytes(block.data);
    }
  },
};

/** The ALAC magic cookie (`alac` inside the `alac` sample entry: ALACSpecificConfig). */
export interface AlacSpecificBox extends FullBox {
  type: 'alac';
  frameLength: number;
  compatibleVersion: number;
  bitDepth: number;
  pb: number;
  mb: number;
  kb: number;
  numChannels: number;
  maxRun: number;
  maxFrameBytes: number;
  avgBitRate: number;
  sampleRate: number;
}

/* ALACSpecificConfig: uint32 frameLength; uint8 compatibleVersion; uint8 bitDepth; uint8 pb; uint8 mb; uint8 kb;
 *   uint8 numChannels; uint16 maxRun; uint32 maxFrameBytes; uint32 avgBitRate; uint32 sampleRate; (after version and flags) */
export const alacCookie: BoxDecoder<AlacSpecificBox> = {
  type: 'alac',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return {
      version,
      flags,
      frameLength: reader.u32(), // frameLength
      compatibleVersion: reader.u8(), // compatibleVersion
      bitDepth: reader.u8(), // bitDepth
      pb: reader.u8(), // pb
      mb: reader.u8(), // mb
      kb: reader.u8(), // kb
      numChannels: reader.u8(), // numChannels
      maxRun: reader.u16(), // maxRun
      maxFrameBytes: reader.u32(), // maxFrameBytes
      avgBitRate: reader.u32(), // avgBitRate
      sampleRate: reader.u32(), // sampleRate
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.frameLength).u8(box.compatibleVersion).u8(box.bitDepth).u8(box.pb).u8(box.mb).u8(box.kb);
    writer.u8(box.numChannels).u16(box.maxRun).u32(box.maxFrameBytes).u32(box.avgBitRate).u32(box.sampleRate);
  },
};
