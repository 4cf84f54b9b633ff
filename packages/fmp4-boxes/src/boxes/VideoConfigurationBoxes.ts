import type { Box, FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { BitReader } from '../read/BitReader.js';
import { readBytes, readFullBox, readRest } from '../read/fields.js';
import { BitWriter } from '../write/ByteWriter.js';
import { writeFullBox } from '../write/fields.js';

/** `av1C` (AV1 Codec ISO Media File Format Binding 2.3.3): AV1CodecConfigurationRecord. */
export interface Av1ConfigurationBox extends Box {
  type: 'av1C';
  /** The marker bit (1). */
  marker: number;
  /** 1. */
  version: number;
  seqProfile: number;
  seqLevelIdx0: number;
  seqTier0: number;
  highBitDepth: number;
  twelveBit: number;
  monochrome: number;
  chromaSubsamplingX: number;
  chromaSubsamplingY: number;
  chromaSamplePosition: number;
  /** The 3 reserved bits. */
  reserved: number;
  initialPresentationDelayPresent: number;
  /** initial_presentation_delay_minus_one, or the 4 reserved bits when not present. */
  initialPresentationDelayMinusOne: number;
  /** Sequence header and metadata OBUs. */
  configObus: Uint8Array;
}

/*
 * aligned (8) class AV1CodecConfigurationRecord {
 *   unsigned int (1) marker = 1; unsigned int (7) version = 1;
 *   unsigned int (3) seq_profile; unsigned int (5) seq_level_idx_0;
 *   unsigned int (1) seq_tier_0; unsigned int (1) high_bitdepth; unsigned int (1) twelve_bit; unsigned int (1) monochrome;
 *   unsigned int (1) chroma_subsampling_x; unsigned int (1) chroma_subsampling_y; unsigned int (2) chroma_sample_position;
 *   unsigned int (3) reserved = 0; unsigned int (1) initial_presentation_delay_present;
 *   if (initial_presentation_delay_present) { unsigned int (4) initial_presentation_delay_minus_one; }
 *   else { unsigned int (4) reserved = 0; }
 *   unsigned int (8) configOBUs[]; }
 */
export const av1C: BoxDecoder<Av1ConfigurationBox> = {
  type: 'av1C',
  read(reader) {
    const bits = new BitReader(reader);
    return {
      marker: bits.bits(1), // marker
      version: bits.bits(7), // version
      seqProfile: bits.bits(3), // seq_profile
      seqLevelIdx0: bits.bits(5), // seq_level_idx_0
      seqTier0: bits.bits(1), // seq_tier_0
      highBitDepth: bits.bits(1), // high_bitdepth
      twelveBit: bits.bits(1), // twelve_bit
      monochrome: bits.bits(1), // monochrome
      chromaSubsamplingX: bits.bits(1), // chroma_subsampling_x
      chromaSubsamplingY: bits.bits(1), // chroma_subsampling_y
      chromaSamplePosition: bits.bits(2), // chroma_sample_position
      reserved: bits.bits(3), // reserved
      initialPresentationDelayPresent: bits.bits(1), // initial_presentation_delay_present
      initialPresentationDelayMinusOne: bits.bits(4), // initial_presentation_delay_minus_one / reserved
      configObus: readRest(reader), // configOBUs
    };
  },
  write(box, writer) {
    const bits = new BitWriter(writer);
    bits.bits(1, box.marker).bits(7, box.version).bits(3, box.seqProfile).bits(5, box.seqLevelIdx0);
    bits.bits(1, box.seqTier0).bits(1, box.highBitDepth).bits(1, box.twelveBit).bits(1, box.monochrome);
    bits.bits(1, box.chromaSubsamplingX).bits(1, box.chromaSubsamplingY).bits(2, box.chromaSamplePosition);
    bits
      .bits(3, box.reserved)
      .bits(1, box.initialPresentationDelayPresent)
      .bits(4, box.initialPresentationDelayMinusOne);
    writer.bytes(box.configObus); // configOBUs
  },
};

/** `vpcC` (VP Codec ISO Media File Format Binding 2.2, version 1): VPCodecConfigurationRecord. */
export interface VpCodecConfigurationBox extends FullBox {
  type: 'vpcC';
  profile: number;
  level: number;
  bitDepth: number;
  chromaSubsampling: number;
  videoFullRangeFlag: number;
  colourPrimaries: number;
  transferCharacteristics: number;
  matrixCoefficients: number;
  codecInitializationData: Uint8Array;
}

/*
 * class VPCodecConfigurationBox extends FullBox('vpcC', version = 1, 0) { VPCodecConfigurationRecord() vpcConfig; }
 * aligned (8) class VPCodecConfigurationRecord {
 *   unsigned int (8) profile; unsigned int (8) level; unsigned int (4) bitDepth; unsigned int (3) chromaSubsampling;
 *   unsigned int (1) videoFullRangeFlag; unsigned int (8) colourPrimaries; unsigned int (8) transferCharacteristics;
 *   unsigned int (8) matrixCoefficients; unsigned int (16) codecIntializationDataSize;
 *   unsigned int (8)[] codecIntializationData; }
 * (Version 0, an earlier draft, has another layout: its body stays in `trailing`.)
 */
export const vpcC: BoxDecoder<VpCodecConfigurationBox> = {
  type: 'vpcC',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    if (version !== 1)
      return { version, flags } as ReturnType<NonNullable<BoxDecoder<VpCodecConfigurationBox>['read']>>;
    const profile = reader.u8(); // profile
    const level = reader.u8(); // level
    const packed = reader.u8(); // bitDepth, chromaSubsampling, videoFullRangeFlag
    return {
      version,
      flags,
      profile,
      level,
      bitDepth: packed >> 4,
      chromaSubsampling: (packed >> 1) & 0x07,
      videoFullRangeFlag: packed & 1,
      colourPrimaries: reader.u8(), // colourPrimaries
      transferCharacteristics: reader.u8(), // transferCharacteristics
      matrixCoefficients: reader.u8(), // matrixCoefficients
      codecInitializationData: readBytes(reader, reader.u16()), // codecIntializationDataSize, codecIntializationData
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    if (box.version !== 1) return; // the body is in `trailing`
    writer.u8(box.profile).u8(box.level); // profile, level
    writer.u8((box.bitDepth << 4) | (box.chromaSubsampling << 1) | box.videoFullRangeFlag);
    writer.u8(box.colourPrimaries).u8(box.transferCharacteristics).u8(box.matrixCoefficients);
    writer.u16(box.codecInitializationData.length).bytes(box.codecInitializationData);
  },
};

/** `colr` (ISO/IEC 14496-12 12.1.5): colour information, as code points (`nclx`, QuickTime `nclc`) or an ICC profile. */
export interface ColourInformationBox extends Box {
  type: 'colr';
  /** `nclx`, `nclc`, `rICC` (restricted ICC), `prof` (unrestricted ICC). */
  colourType: string;
  /** ISO/IEC 23091-2 code points (nclx, nclc). */
  colourPrimaries?: number;
  transferCharacteristics?: number;
  matrixCoefficients?: number;
  /** nclx only (absent from a 10-byte nclx, as some writers make it). */
  fullRangeFlag?: number;
  /** nclx: the 7 bits after full_range_flag. */
  reserved?: number;
  /** rICC, prof. */
  iccProfile?: Uint8Array;
}

/*
 * class ColourInformationBox extends Box('colr'){
 *   unsigned int(32) colour_type;
 *   if (colour_type == 'nclx') { unsigned int(16) colour_primaries; unsigned int(16) transfer_characteristics;
 *     unsigned int(16) matrix_coefficients; unsigned int(1) full_range_flag; unsigned int(7) reserved = 0; }
 *   else if (colour_type == 'rICC') { ICC_profile; } else if (colour_type == 'prof') { ICC_profile; } }
 */
export const colr: BoxDecoder<ColourInformationBox> = {
  type: 'colr',
  read(reader) {
    const colourType = reader.fourcc(); // colour_type
    if (colourType === 'nclx' || colourType === 'nclc') {
      const fields: Omit<ColourInformationBox, keyof Box> = {
        colourType,
        colourPrimaries: reader.u16(), // colour_primaries
        transferCharacteristics: reader.u16(), // transfer_characteristics
        matrixCoefficients: reader.u16(), // matrix_coefficients
      };
      // Some writers end an nclx after matrix_coefficients (10 bytes): read the range byte when it is there.
      if (colourType === 'nclx' && reader.remaining > 0) {
        const range = reader.u8(); // full_range_flag, reserved
        fields.fullRangeFlag = range >> 7;
        fields.reserved = range & 0x7f;
      }
      return fields;
    }
    if (colourType === 'rICC' || colourType === 'prof') return { colourType, iccProfile: readRest(reader) }; // ICC_profile
    return { colourType };
  },
  write(box, writer) {
    writer.fourcc(box.colourType); // colour_type
    if (box.colourType === 'nclx' || box.colourType === 'nclc') {
      writer
        .u16(box.colourPrimaries ?? 2)
        .u16(box.transferCharacteristics ?? 2)
        .u16(box.matrixCoefficients ?? 2);
      if (box.colourType === 'nclx' && box.fullRangeFlag !== undefined)
        writer.u8(((box.fullRangeFlag ?? 0) << 7) | (box.reserved ?? 0)); // full_range_flag, reserved
    } else if (box.iccProfile) {
      writer.bytes(box.iccProfile); // ICC_profile
    }
  },
};

/** `clap` (ISO/IEC 14496-12 12.1.4): the clean aperture, as fractions. */
export interface CleanApertureBox extends Box {
  type: 'clap';
  cleanApertureWidthN: number;
  cleanApertureWidthD: number;
  cleanApertureHeightN: number;
  cleanApertureHeightD: number;
  horizOffN: number;
  horizOffD: number;
  vertOffN: number;
  vertOffD: number;
}

/* class CleanApertureBox extends Box('clap'){ unsigned int(32) cleanApertureWidthN; unsigned int(32) cleanApertureWidthD;
 *   unsigned int(32) cleanApertureHeightN; unsigned int(32) cleanApertureHeightD; unsigned int(32) horizOffN;
 *   unsigned int(32) horizOffD; unsigned int(32) vertOffN; unsigned int(32) vertOffD; } */
export const clap: BoxDecoder<CleanApertureBox> = {
  type: 'clap',
  read: (reader) => ({
    cleanApertureWidthN: reader.u32(), // cleanApertureWidthN
    cleanApertureWidthD: reader.u32(), // cleanApertureWidthD
    cleanApertureHeightN: reader.u32(), // cleanApertureHeightN
    cleanApertureHeightD: reader.u32(), // cleanApertureHeightD
    horizOffN: reader.i32(), // horizOffN
    horizOffD: reader.u32(), // horizOffD
    vertOffN: reader.i32(), // vertOffN
    vertOffD: reader.u32(), // vertOffD
  }),
  write(box, writer) {
    writer.u32(box.cleanApertureWidthN).u32(box.cleanApertureWidthD);
    writer.u32(box.cleanApertureHeightN).u32(box.cleanApertureHeightD);
    writer.i32(box.horizOffN).u32(box.horizOffD).i32(box.vertOffN).u32(box.vertOffD);
  },
};

/** `fiel` (QuickTime "Field handling"): progressive (1) or interlaced (2) and the field order. */
export interface FieldHandlingBox extends Box {
  type: 'fiel';
  fieldCount: number;
  fieldOrdering: number;
}

export const fiel: BoxDecoder<FieldHandlingBox> = {
  type: 'fiel',
  read: (reader) => ({ fieldCount: reader.u8(), fieldOrdering: reader.u8() }), // field count, field ordering
  write(box, writer) {
    writer.u8(box.fieldCount).u8(box.fieldOrdering);
  },
};

/** `clli` (ISO/IEC 23001-8 via ISO/IEC 14496-12 12.1.6): content light level, cd/m2. */
export interface ContentLightLevelBox extends Box {
  type: 'clli';
  maxContentLightLevel: number;
  maxPicAverageLightLevel: number;
}

/* class ContentLightLevelBox extends Box('clli'){ unsigned int(16) max_content_light_level; unsigned int(16) max_pic_average_light_level; } */
export const clli: BoxDecoder<ContentLightLevelBox> = {
  type: 'clli',
  read: (reader) => ({ maxContentLightLevel: reader.u16(), maxPicAverageLightLevel: reader.u16() }),
  write(box, writer) {
    writer.u16(box.maxContentLightLevel).u16(box.maxPicAverageLightLevel);
  },
};

/** `mdcv` (ISO/IEC 14496-12 12.1.7): mastering display colour volume (chromaticities in 0.00002 units, luminance in 0.0001 cd/m2). */
export interface MasteringDisplayColourVolumeBox extends Box {
  type: 'mdcv';
  /** [x, y] of the green, blue and red primaries (in that order, as SMPTE ST 2086 lists them). */
  displayPrimaries: [number, number][];
  whitePoint: [number, number];
  maxDisplayMasteringLuminance: number;
  minDisplayMasteringLuminance: number;
}

/* class MasteringDisplayColourVolumeBox extends Box('mdcv'){ for (c = 0; c<3; c++) { unsigned int(16) display_primaries_x;
 *   unsigned int(16) display_primaries_y; } unsigned int(16) white_point_x; unsigned int(16) white_point_y;
 *   unsigned int(32) max_display_mastering_luminance; unsigned int(32) min_display_mastering_luminance; } */
export const mdcv: BoxDecoder<MasteringDisplayColourVolumeBox> = {
  type: 'mdcv',
  read(reader) {
    const displayPrimaries: [number, number][] = [];
    for (let c = 0; c < 3; c++) displayPrimaries.push([reader.u16(), reader.u16()]); // display_primaries_x, _y
    return {
      displayPrimaries,
      whitePoint: [reader.u16(), reader.u16()], // white_point_x, white_point_y
      maxDisplayMasteringLuminance: reader.u32(), // max_display_mastering_luminance
      minDisplayMasteringLuminance: reader.u32(), // min_display_mastering_luminance
    };
  },
  write(box, writer) {
    for (const [x, y] of box.displayPrimaries) writer.u16(x).u16(y); // display_primaries_x, _y
    writer.u16(box.whitePoint[0]).u16(box.whitePoint[1]); // white_point_x, white_point_y
    writer.u32(box.maxDisplayMasteringLuminance).u32(box.minDisplayMasteringLuminance);
  },
};

/** `dvcC` / `dvvC` / `dvwC` (Dolby Vision streams within the ISO base media file format 3.2): the DOVIDecoderConfigurationRecord. */
export interface DolbyVisionConfigurationBox extends Box {
  type: 'dvcC' | 'dvvC' | 'dvwC';
  dvVersionMajor: number;
  dvVersionMinor: number;
  dvProfile: number;
  dvLevel: number;
  rpuPresentFlag: number;
  elPresentFlag: number;
  blPresentFlag: number;
  dvBlSignalCompatibilityId: number;
  /** The first 4 of the 28 reserved bits after it. */
  reservedBits: number;
  /** The other 24 and the reserved 32-bit words, as bytes. */
  reserved: Uint8Array;
}

/*
 * align(8) class DOVIDecoderConfigurationRecord {
 *   unsigned int (8) dv_version_major; unsigned int (8) dv_version_minor; unsigned int (7) dv_profile;
 *   unsigned int (6) dv_level; bit (1) rpu_present_flag; bit (1) el_present_flag; bit (1) bl_present_flag;
 *   unsigned int (4) dv_bl_signal_compatibility_id; const unsigned int (28) reserved = 0;
 *   const unsigned int (32)[4] reserved = 0; }
 */
const dolbyVision = (type: 'dvcC' | 'dvvC' | 'dvwC'): BoxDecoder<DolbyVisionConfigurationBox> => ({
  type,
  read(reader) {
    const dvVersionMajor = reader.u8(); // dv_version_major
    const dvVersionMinor = reader.u8(); // dv_version_minor
    const bits = new BitReader(reader);
    const dvProfile = bits.bits(7); // dv_profile
    const dvLevel = bits.bits(6); // dv_level
    const rpuPresentFlag = bits.bits(1); // rpu_present_flag
    const elPresentFlag = bits.bits(1); // el_present_flag
    const blPresentFlag = bits.bits(1); // bl_present_flag
    const more = reader.remaining > 0; // early records end here
    const dvBlSignalCompatibilityId = more ? bits.bits(4) : 0; // dv_bl_signal_compatibility_id
    const reservedBits = more ? bits.bits(4) : 0; // reserved (first 4 bits)
    return {
      dvVersionMajor,
      dvVersionMinor,
      dvProfile,
      dvLevel,
      rpuPresentFlag,
      elPresentFlag,
      blPresentFlag,
      dvBlSignalCompatibilityId,
      reservedBits,
      reserved: readRest(reader), // reserved
    };
  },
  write(box, writer) {
    writer.u8(box.dvVersionMajor).u8(box.dvVersionMinor);
    const bits = new BitWriter(writer);
    bits.bits(7, box.dvProfile).bits(6, box.dvLevel);
    bits.bits(1, box.rpuPresentFlag).bits(1, box.elPresentFlag).bits(1, box.blPresentFlag);
    if (box.reserved.length > 0 || box.dvBlSignalCompatibilityId || box.reservedBits) {
      bits.bits(4, box.dvBlSignalCompatibilityId).bits(4, box.reservedBits);
    }
    writer.bytes(box.reserved);
  },
});
export const dvcC = dolbyVision('dvcC');
export const dvvC = dolbyVision('dvvC');
export const dvwC = dolbyVision('dvwC');
