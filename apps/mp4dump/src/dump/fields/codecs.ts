/**
 * Codec configurations inside sample entries: avcC, hvcC, vvcC, av1C, vpcC,
 * dvcC/dvvC/dvwC, colr, clap, pasp, fiel, clli, mdcv, btrt (ISO/IEC
 * 14496-15, AV1-ISOBMFF, VP-ISOBMFF, Dolby Vision ISOBMFF, 14496-12 12.1.4-5,
 * 23001-8) and the audio ones: esds/iods (14496-1 descriptors), dOps, dac3,
 * dec3, dac4 (ETSI TS 103 190-2 E.6), dfLa, alac. Bento4: Ap4AvccAtom.cpp,
 * Ap4HvccAtom.cpp, Ap4Av1cAtom.cpp, Ap4VpccAtom.cpp, Ap4DvccAtom.cpp,
 * Ap4ColrAtom.cpp, Ap4EsdsAtom.cpp and the descriptor classes,
 * Ap4Dac3Atom.cpp, Ap4Dec3Atom.cpp, Ap4Dac4Atom.cpp (Bento4 has no vvcC).
 */
import type {
  Ac3SpecificBox,
  Ac4SpecificBox,
  AlacSpecificBox,
  Av1ConfigurationBox,
  AvcConfigurationBox,
  BitRateBox,
  Box,
  CleanApertureBox,
  ColourInformationBox,
  ContentLightLevelBox,
  DecoderConfigDescriptor,
  DecoderSpecificInfoDescriptor,
  Descriptor,
  DolbyVisionConfigurationBox,
  Ec3SpecificBox,
  EsDescriptor,
  EsdsBox,
  FieldHandlingBox,
  FlacSpecificBox,
  HevcConfigurationBox,
  MasteringDisplayColourVolumeBox,
  MlpSpecificBox,
  ObjectDescriptorBox,
  OpusSpecificBox,
  PixelAspectRatioBox,
  UnknownDescriptor,
  VpCodecConfigurationBox,
  VvcConfigurationBox,
  WebVttStringBox,
} from '@rec/fmp4-boxes';
import { hexByte } from '../inspect/formatNumbers.js';
import type { Inspector } from '../inspect/Inspector.js';
import { type FormatTable, NOT_IN_BENTO4 } from './BoxFormat.js';
import { fourccValue } from './values.js';

const AVC_PROFILES: Record<number, string> = {
  66: 'Baseline',
  77: 'Main',
  88: 'Extended',
  100: 'High',
  110: 'High 10',
  122: 'High 4:2:2',
  144: 'High 4:4:4',
};
const HEVC_PROFILES: Record<number, string> = { 1: 'Main', 2: 'Main 10', 3: 'Main Still Picture', 4: 'Rext' };
const DV_PROFILES = [
  'dvav.per',
  'dvav.pen',
  'dvhe.der',
  'dvhe.den',
  'dvhe.dtr',
  'dvhe.stn',
  'dvhe.dth',
  'dvhr.dtb',
  'dvhe.st',
  'dvav.se',
];
/** HEVC NAL unit types of parameter-set arrays (ITU-T H.265 Table 7-1). */
const HEVC_NALU_NAMES: Record<number, string> = {
  32: 'VPS',
  33: 'SPS',
  34: 'PPS',
  39: 'PREFIX_SEI',
  40: 'SUFFIX_SEI',
};
/** ATSC A/52 Table F.4.2 (kbit/s by bit_rate_code), as Bento4's dac3 maps it. */
const AC3_BIT_RATES = [
  32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640,
];

function avcC(box: AvcConfigurationBox, out: Inspector): void {
  out.int('Configuration Version', box.configurationVersion);
  const profile = AVC_PROFILES[box.profile];
  if (profile) out.str('Profile', profile);
  else out.int('Profile', box.profile);
  out.hex('Profile Compatibility', box.profileCompatibility);
  out.int('Level', box.level);
  out.int('NALU Length Size', box.naluLengthSize);
  for (const sps of box.sequenceParameters) out.bytes('Sequence Parameter', sps);
  for (const pps of box.pictureParameters) out.bytes('Picture Parameter', pps);
  if (out.all && box.chromaFormat !== undefined) {
    out.int('Chroma Format', box.chromaFormat);
    out.int('Luma Bit Depth', (box.bitDepthLumaMinus8 ?? 0) + 8);
    out.int('Chroma Bit Depth', (box.bitDepthChromaMinus8 ?? 0) + 8);
    for (const ext of box.sequenceParameterExtensions ?? []) out.bytes('Sequence Parameter Extension', ext);
  }
}

function hvcC(box: HevcConfigurationBox, out: Inspector): void {
  out.int('Configuration Version', box.configurationVersion);
  out.int('Profile Space', box.generalProfileSpace);
  const profile = box.generalProfileSpace === 0 ? HEVC_PROFILES[box.generalProfile] : undefined;
  if (profile) out.str('Profile', profile);
  else out.int('Profile', box.generalProfile);
  out.int('Tier', box.generalTierFlag);
  out.hex('Profile Compatibility', box.generalProfileCompatibilityFlags);
  out.hex('Constraint', box.generalConstraintIndicatorFlags);
  out.int('Level', box.generalLevel);
  out.int('Min Spatial Segmentation', box.minSpatialSegmentation);
  out.int('Parallelism Type', box.parallelismType);
  out.int('Chroma Format', box.chromaFormat);
  out.int('Chroma Depth', box.chromaBitDepth);
  out.int('Luma Depth', box.lumaBitDepth);
  out.int('Average Frame Rate', box.averageFrameRate);
  out.int('Constant Frame Rate', box.constantFrameRate);
  out.int('Number Of Temporal Layers', box.numTemporalLayers);
  out.int('Temporal Id Nested', box.temporalIdNested);
  out.int('NALU Length Size', box.naluLengthSize);
  // Bento4 reads the parameter-set arrays and does not print them.
  if (out.all) {
    for (const array of box.sequences) {
      const name = HEVC_NALU_NAMES[array.naluType] ?? `NALU type ${array.naluType}`;
      for (const nalu of array.nalus) out.bytes(name, nalu);
    }
  }
}

/** VVC NAL unit types of parameter-set arrays (ITU-T H.266 Table 5). */
const VVC_NALU_NAMES: Record<number, string> = {
  12: 'OPI',
  13: 'DCI',
  14: 'VPS',
  15: 'SPS',
  16: 'PPS',
  17: 'PREFIX_APS',
  18: 'SUFFIX_APS',
  23: 'PREFIX_SEI',
  24: 'SUFFIX_SEI',
};

/** vvcC (Bento4 does not decode it): the record's fields by their 14496-15 names, then the NAL units. */
function vvcC(box: VvcConfigurationBox, out: Inspector): void {
  out.int('NALU Length Size', box.naluLengthSize);
  const ptl = box.nativePtl;
  if (ptl) {
    out.int('ols_idx', box.olsIdx ?? 0);
    out.int('num_sublayers', box.numSublayers ?? 0);
    out.int('constant_frame_rate', box.constantFrameRate ?? 0);
    out.int('chroma_format_idc', box.chromaFormatIdc ?? 0);
    out.int('bit_depth', (box.bitDepthMinus8 ?? 0) + 8);
    out.int('general_profile_idc', ptl.generalProfileIdc);
    out.int('general_tier_flag', ptl.generalTierFlag);
    out.int('general_level_idc', ptl.generalLevelIdc);
    out.int('ptl_frame_only_constraint_flag', ptl.ptlFrameOnlyConstraintFlag);
    out.int('ptl_multi_layer_enabled_flag', ptl.ptlMultiLayerEnabledFlag);
    out.bytes('general_constraint_info', ptl.generalConstraintInfo);
    for (let i = ptl.sublayerLevelIdcs.length - 1; i >= 0; i--) {
      const level = ptl.sublayerLevelIdcs[i];
      if (level !== undefined) out.int(`sublayer_level_idc[${i}]`, level);
    }
    for (const idc of ptl.generalSubProfileIdcs) out.hex('general_sub_profile_idc', idc);
    out.int('max_picture_width', box.maxPictureWidth ?? 0);
    out.int('max_picture_height', box.maxPictureHeight ?? 0);
    out.int('avg_frame_rate', box.avgFrameRate ?? 0);
  }
  for (const array of box.arrays) {
    const name = VVC_NALU_NAMES[array.naluType] ?? `NALU type ${array.naluType}`;
    for (const nalu of array.nalus) out.bytes(name, nalu);
  }
}

/**
 * dac4 as Bento4's AP4_Dac4Atom::InspectFields prints it: the header, then
 * per presentation `[NN].` fields (0 where the presentation has none, as
 * Bento4's zeroed structure gives; presentation_channel_mask_v1 0x800000
 * when not channel coded, as Bento4 sets it). Bento4 decodes nothing of a
 * body under 11 bytes and prints version 0 with zeros: so does `--bento4`.
 */
function dac4(box: Ac4SpecificBox, out: Inspector): void {
  const short = !out.all && box.size - box.headerSize < 11;
  const version = short ? 0 : box.ac4DsiVersion;
  out.int('ac4_dsi_version', version);
  if (version > 1) return;
  out.int('bitstream_version', short ? 0 : box.bitstreamVersion);
  out.int('fs_index', short ? 0 : box.fsIndex);
  out.int('fs', short ? 0 : box.fsIndex === 0 ? 44100 : 48000);
  out.int('frame_rate_index', short ? 0 : box.frameRateIndex);
  if (out.all) out.int('n_presentations', box.nPresentations);
  if (version === 0) return;
  if (box.bitstreamVersion > 1) {
    out.int('short_program_id', box.shortProgramId ?? 0);
    out.bytes('program_uuid', box.programUuid ?? new Uint8Array(16));
  }
  out.int('bit_rate_mode', box.bitRateMode ?? 0);
  out.int('bit_rate', box.bitRate ?? 0);
  out.int('bit_rate_precision', box.bitRatePrecision ?? 0);
  const presentations = box.presentations ?? [];
  for (let i = 0; i < box.nPresentations; i++) {
    const p = presentations[i];
    const at = `[${String(i).padStart(2, '0')}].`;
    const presentationVersion = p?.presentationVersion ?? 0;
    out.int(`${at}presentation_version`, presentationVersion);
    if (presentationVersion === 0) {
      out.int(`${at}presentation_config`, p?.presentationConfig ?? 0);
      out.int(`${at}mdcompat`, p?.mdcompat ?? 0);
      out.int(`${at}presentation_id`, p?.presentationId ?? 0);
      out.int(`${at}dsi_frame_rate_multiply_info`, p?.dsiFrameRateMultiplyInfo ?? 0);
      out.int(`${at}presentation_emdf_version`, p?.presentationEmdfVersion ?? 0);
      out.int(`${at}presentation_key_id`, p?.presentationKeyId ?? 0);
      out.hex(`${at}presentation_channel_mask`, p?.presentationChannelMask ?? 0);
    } else if (presentationVersion <= 2) {
      const coded = p?.presentationChannelCoded ?? 0;
      out.int(`${at}presentation_config_v1`, p?.presentationConfig ?? 0);
      out.int(`${at}mdcompat`, p?.mdcompat ?? 0);
      out.int(`${at}presentation_id`, p?.presentationId ?? 0);
      out.int(`${at}dsi_frame_rate_multiply_info`, p?.dsiFrameRateMultiplyInfo ?? 0);
      out.int(`${at}dsi_frame_rate_fraction_info`, p?.dsiFrameRateFractionInfo ?? 0);
      out.int(`${at}presentation_emdf_version`, p?.presentationEmdfVersion ?? 0);
      out.int(`${at}presentation_key_id`, p?.presentationKeyId ?? 0);
      out.int(`${at}b_presentation_channel_coded`, coded);
      out.int(`${at}dsi_presentation_ch_mode`, p?.dsiPresentationChMode ?? 0);
      out.int(`${at}pres_b_4_back_channels_present`, p?.presB4BackChannelsPresent ?? 0);
      out.int(`${at}pres_top_channel_pairs`, p?.presTopChannelPairs ?? 0);
      // Not channel coded: Bento4 sets 0x800000; an EMDF-only presentation (config 6) stops before and keeps 0.
      const mask = coded ? (p?.presentationChannelMask ?? 0) : p?.presentationConfig === 6 ? 0 : 0x800000;
      out.hex(`${at}presentation_channel_mask_v1`, mask);
    }
  }
}

function av1C(box: Av1ConfigurationBox, out: Inspector): void {
  out.int('version', box.version);
  out.int('seq_profile', box.seqProfile);
  out.int('seq_level_idx_0', box.seqLevelIdx0);
  out.int('seq_tier_0', box.seqTier0);
  out.int('high_bitdepth', box.highBitDepth);
  out.int('twelve_bit', box.twelveBit);
  out.int('monochrome', box.monochrome);
  out.int('chroma_subsampling_x', box.chromaSubsamplingX);
  out.int('chroma_subsampling_y', box.chromaSubsamplingY);
  out.int('chroma_sample_position', box.chromaSamplePosition);
  out.int(
    'initial_presentation_delay',
    box.initialPresentationDelayPresent ? box.initialPresentationDelayMinusOne + 1 : 0,
  );
  if (out.all && box.configObus.length > 0) out.bytes('config_obus', box.configObus);
}

function vpcC(box: VpCodecConfigurationBox, out: Inspector): void {
  out.int('profile', box.profile);
  out.int('level', box.level);
  out.int('bit depth', box.bitDepth);
  out.int('chroma subsampling', box.chromaSubsampling);
  out.int('video full range flag', box.videoFullRangeFlag);
  out.int('colour primaries', box.colourPrimaries);
  // Bento4 reads transfer_characteristics and does not print it.
  if (out.all) out.int('transfer characteristics', box.transferCharacteristics);
  out.int('matrix coefficients', box.matrixCoefficients);
  out.bytes('codec initialization data', box.codecInitializationData);
}

function dvcC(box: DolbyVisionConfigurationBox, out: Inspector): void {
  out.int('dv_version_major', box.dvVersionMajor);
  out.int('dv_version_minor', box.dvVersionMinor);
  out.int('dv_profile', box.dvProfile);
  out.str('dv_profile_name', DV_PROFILES[box.dvProfile] ?? 'unknown');
  out.int('dv_level', box.dvLevel);
  out.int('rpu_present_flag', box.rpuPresentFlag);
  out.int('el_present_flag', box.elPresentFlag);
  out.int('bl_present_flag', box.blPresentFlag);
  out.int('dv_bl_signal_compatibility_id', box.dvBlSignalCompatibilityId);
}

/**
 * Bento4 prints colr's fields with their colons in the names and the
 * colour type as a number; an ICC profile (`prof`, `rICC`), which Bento4
 * prints as nclx fields read from nothing, is shown as its type and size.
 */
function colr(box: ColourInformationBox, out: Inspector): void {
  // Bento4 prints the colour type as a number; the default mode as the fourcc it is.
  if (out.all) out.str('Colour Parameter Type:', box.colourType);
  else out.int('Colour Parameter Type:', fourccValue(box.colourType));
  if (box.iccProfile) {
    out.int('ICC Profile Size:', box.iccProfile.length);
    if (out.all && out.verbosity >= 2) out.bytes('ICC Profile:', box.iccProfile);
    return;
  }
  if (box.colourPrimaries === undefined) return;
  out.int('Primaries Index:', box.colourPrimaries);
  out.int('Transfer Funcion Index:', box.transferCharacteristics ?? 0);
  out.int('Matrix Index:', box.matrixCoefficients ?? 0);
  if (box.fullRangeFlag !== undefined) out.int('Video Full Range Flag:', box.fullRangeFlag);
}

/** 14496-1 7.2.6: the descriptors of `esds` and `iods`, as Bento4 names them (Ap4DescriptorFactory.cpp). */
function descriptor(d: Descriptor, out: Inspector): void {
  const size = d.headerSize + d.payloadSize;
  switch (d.tag) {
    case 0x03: {
      const es = d as EsDescriptor;
      out.startDescriptor('ESDescriptor', d.headerSize, size);
      out.int('es_id', es.esId);
      out.int('stream_priority', es.streamPriority);
      if (out.all) {
        if (es.dependsOn !== undefined) out.int('depends_on_es_id', es.dependsOn);
        if (es.url !== undefined) out.str('url', es.url);
        if (es.ocrEsId !== undefined) out.int('ocr_es_id', es.ocrEsId);
      }
      for (const sub of bento4Reads(es.subDescriptors, out)) descriptor(sub, out);
      out.endDescriptor();
      return;
    }
    case 0x04: {
      const config = d as DecoderConfigDescriptor;
      out.startDescriptor('DecoderConfig', d.headerSize, size);
      out.int('stream_type', config.streamType);
      out.int('object_type', config.objectTypeIndication);
      out.int('up_stream', config.upStream ? 1 : 0);
      out.int('buffer_size', config.bufferSize);
      out.int('max_bitrate', config.maxBitrate);
      out.int('avg_bitrate', config.averageBitrate);
      for (const sub of bento4Reads(config.subDescriptors, out)) descriptor(sub, out);
      out.endDescriptor();
      return;
    }
    case 0x05: {
      // Bento4 prints DecoderSpecificInfo as a field of its DecoderConfig: "%02x " per byte.
      const info = d as DecoderSpecificInfoDescriptor;
      let text = '';
      for (const byte of info.info) text += `${hexByte(byte)} `;
      out.str('DecoderSpecificInfo', text);
      const asc = info.audioSpecificConfig;
      if (out.all && asc) {
        out.int('audio_object_type', asc.audioObjectType);
        out.int('sampling_frequency', asc.samplingFrequency);
        out.int('channel_configuration', asc.channelConfiguration);
        if (asc.extensionAudioObjectType !== undefined)
          out.int('extension_audio_object_type', asc.extensionAudioObjectType);
        if (asc.extensionSamplingFrequency !== undefined) {
          out.int('extension_sampling_frequency', asc.extensionSamplingFrequency);
        }
        if (asc.psPresent !== undefined) out.int('ps_present', asc.psPresent ? 1 : 0);
      }
      return;
    }
    case 0x0e:
    case 0x0f: {
      const data = (d as UnknownDescriptor).data;
      const value = data.length >= 4 ? new DataView(data.buffer, data.byteOffset, 4).getUint32(0) : 0;
      const index = data.length >= 2 ? (data[0]! << 8) | data[1]! : 0;
      out.startDescriptor(d.tag === 0x0e ? 'ES_ID_Inc' : 'ES_ID_Ref', d.headerSize, size);
      if (d.tag === 0x0e) out.int('track_id', value);
      else out.int('ref_index', index);
      out.endDescriptor();
      return;
    }
    case 0x02:
    case 0x10:
      initialObjectDescriptor(d as UnknownDescriptor, out);
      return;
    default:
      out.startDescriptor(`Descriptor:${hexByte(d.tag)}`, d.headerSize, size);
      if (out.all && 'data' in d && (d as UnknownDescriptor).data.length > 0 && out.verbosity >= 2) {
        out.bytes('data', (d as UnknownDescriptor).data);
      }
      out.endDescriptor();
  }
}

/**
 * 14496-1 7.2.6.4 InitialObjectDescriptor (in `iods`): ObjectDescriptorID(10)
 * URL_Flag(1) includeInlineProfileLevelFlag(1) reserved(4), then a URL or
 * the five profile levels, then ES_ID_Inc descriptors.
 */
function initialObjectDescriptor(d: UnknownDescriptor, out: Inspector): void {
  const data = d.data;
  out.startDescriptor('InitialObjectDescriptor', d.headerSize, d.headerSize + d.payloadSize);
  if (data.length >= 2) {
    const bits = (data[0]! << 8) | data[1]!;
    out.int('id', bits >> 6);
    let at = 2;
    if (bits & 0x20) {
      const length = data[at] ?? 0;
      out.str('url', new TextDecoder('latin1').decode(data.subarray(at + 1, at + 1 + length)));
      at += 1 + length;
    } else if (data.length >= 7) {
      out.int('include inline profile level flag', (bits >> 4) & 1);
      out.hex('OD profile level', data[2]!);
      out.hex('scene profile level', data[3]!);
      out.hex('audio profile level', data[4]!);
      out.hex('visual profile level', data[5]!);
      out.hex('graphics profile level', data[6]!);
      at = 7;
    }
    // The ES_ID_Inc sub-descriptors (tag 0x0e, a one-byte size in practice).
    while (at + 2 <= data.length) {
      const tag = data[at]!;
      let headerSize = 1;
      let payload = 0;
      for (;;) {
        const byte = data[at + headerSize];
        if (byte === undefined) {
          out.endDescriptor();
          return;
        }
        headerSize++;
        payload = payload * 128 + (byte & 0x7f);
        if ((byte & 0x80) === 0 || headerSize === 5) break;
      }
      // An empty one ends Bento4's list (bento4Reads).
      if (payload === 0 && !out.all) break;
      const body = data.subarray(at + headerSize, at + headerSize + payload);
      descriptor({ tag, offset: 0, headerSize, payloadSize: payload, data: body } as UnknownDescriptor, out);
      at += headerSize + payload;
    }
  }
  out.endDescriptor();
}

/**
 * The descriptors of a list Bento4 reads (Ap4DescriptorFactory.cpp): it
 * stops at the first one with an empty payload (an empty
 * DecoderSpecificInfo), or an SLConfigDescriptor whose payload is not one
 * byte, and drops the rest of the list. The default mode shows them all.
 */
function bento4Reads(list: readonly Descriptor[], out: Inspector): readonly Descriptor[] {
  if (out.all) return list;
  const end = list.findIndex((d) => d.payloadSize === 0 || (d.tag === 0x06 && d.payloadSize !== 1));
  return end < 0 ? list : list.slice(0, end);
}

function descriptors(box: EsdsBox | ObjectDescriptorBox, out: Inspector): void {
  // Bento4 reads one descriptor (the ES or OD) and prints it.
  const first = bento4Reads(box.descriptors.slice(0, 1), out)[0];
  if (first) descriptor(first, out);
  if (out.all) for (const extra of box.descriptors.slice(1)) descriptor(extra, out);
}

export const codecFormats: FormatTable = {
  avcC: { fields: avcC },
  hvcC: { fields: hvcC },
  vvcC: { bento4: NOT_IN_BENTO4, fields: vvcC },
  av1C: { fields: av1C },
  vpcC: { fields: vpcC },
  dvcC: { fields: dvcC },
  dvvC: { fields: dvcC },
  dvwC: { bento4: NOT_IN_BENTO4, fields: dvcC },
  colr: { fields: colr },
  clap: {
    bento4: NOT_IN_BENTO4,
    fields(box: CleanApertureBox, out) {
      out.str('clean_aperture_width', `${box.cleanApertureWidthN}/${box.cleanApertureWidthD}`);
      out.str('clean_aperture_height', `${box.cleanApertureHeightN}/${box.cleanApertureHeightD}`);
      out.str('horiz_off', `${box.horizOffN}/${box.horizOffD}`);
      out.str('vert_off', `${box.vertOffN}/${box.vertOffD}`);
    },
  },
  pasp: {
    bento4: NOT_IN_BENTO4,
    fields(box: PixelAspectRatioBox, out) {
      out.int('h_spacing', box.hSpacing);
      out.int('v_spacing', box.vSpacing);
    },
  },
  fiel: {
    bento4: NOT_IN_BENTO4,
    fields(box: FieldHandlingBox, out) {
      out.int('field_count', box.fieldCount);
      out.int('field_ordering', box.fieldOrdering);
    },
  },
  clli: {
    bento4: NOT_IN_BENTO4,
    fields(box: ContentLightLevelBox, out) {
      out.int('max_content_light_level', box.maxContentLightLevel);
      out.int('max_pic_average_light_level', box.maxPicAverageLightLevel);
    },
  },
  mdcv: {
    bento4: NOT_IN_BENTO4,
    fields(box: MasteringDisplayColourVolumeBox, out) {
      box.displayPrimaries.forEach(([x, y], i) => {
        out.int(`display_primaries_x[${i}]`, x);
        out.int(`display_primaries_y[${i}]`, y);
      });
      out.int('white_point_x', box.whitePoint[0]);
      out.int('white_point_y', box.whitePoint[1]);
      out.int('max_display_mastering_luminance', box.maxDisplayMasteringLuminance);
      out.int('min_display_mastering_luminance', box.minDisplayMasteringLuminance);
    },
  },
  btrt: {
    bento4: NOT_IN_BENTO4,
    fields(box: BitRateBox, out) {
      out.int('buffer_size_db', box.bufferSizeDb);
      out.int('max_bitrate', box.maxBitrate);
      out.int('avg_bitrate', box.avgBitrate);
    },
  },
  esds: { fields: descriptors },
  iods: { fields: descriptors },
  dOps: {
    bento4: NOT_IN_BENTO4,
    fields(box: OpusSpecificBox, out) {
      out.int('version', box.version);
      out.int('output_channel_count', box.outputChannelCount);
      out.int('pre_skip', box.preSkip);
      out.int('input_sample_rate', box.inputSampleRate);
      out.int('output_gain', box.outputGain);
      out.int('channel_mapping_family', box.channelMappingFamily);
      if (box.streamCount !== undefined) out.int('stream_count', box.streamCount);
      if (box.coupledCount !== undefined) out.int('coupled_count', box.coupledCount);
      if (box.channelMapping) out.bytes('channel_mapping', box.channelMapping);
    },
  },
  dmlp: {
    bento4: (_box: Box, ancestors: readonly Box[]) => ['mlpa', 'enca'].includes(ancestors.at(-1)?.type ?? ''),
    fields(box: MlpSpecificBox, out) {
      out.int('format_info', box.formatInfo);
      // Bento4 prints the 16 bits that hold the 15-bit peak_data_rate and a reserved bit.
      out.int('peak_data_rate', out.all ? box.peakDataRate : (box.peakDataRate << 1) | box.reserved1);
    },
  },
  dac3: {
    // Bento4 decodes dac3 only inside ac-3 and enca entries.
    bento4: (_box: Box, ancestors: readonly Box[]) => ['ac-3', 'enca'].includes(ancestors.at(-1)?.type ?? ''),
    fields(box: Ac3SpecificBox, out) {
      out.int('data_rate', AC3_BIT_RATES[box.bitRateCode] ?? 0);
      out.int('fscod', box.fscod);
      out.int('bsid', box.bsid);
      out.int('bsmod', box.bsmod);
      out.int('acmod', box.acmod);
      out.int('lfeon', box.lfeon);
    },
  },
  dac4: {
    bento4: (_box: Box, ancestors: readonly Box[]) => ['ac-4', 'enca'].includes(ancestors.at(-1)?.type ?? ''),
    fields: dac4,
  },
  dec3: {
    bento4: (_box: Box, ancestors: readonly Box[]) => ['ec-3', 'enca'].includes(ancestors.at(-1)?.type ?? ''),
    fields(box: Ec3SpecificBox, out) {
      out.int('data_rate', box.dataRate);
      out.int('complexity_index_type_a', box.complexityIndexTypeA ?? 0);
      box.subStreams.forEach((s, i) => {
        out.str(
          `[${String(i).padStart(2, '0')}]`,
          `fscod=${s.fscod}, bsid=${s.bsid}, bsmod=${s.bsmod}, acmod=${s.acmod}, lfeon=${s.lfeon}, num_dep_sub=${s.numDepSub}, chan_loc=${s.chanLoc}`,
        );
      });
    },
  },
  dfLa: {
    bento4: NOT_IN_BENTO4,
    fields(box: FlacSpecificBox, out) {
      const info = box.streamInfo;
      if (info) {
        out.int('min_block_size', info.minBlockSize);
        out.int('max_block_size', info.maxBlockSize);
        out.int('min_frame_size', info.minFrameSize);
        out.int('max_frame_size', info.maxFrameSize);
        out.int('sample_rate', info.sampleRate);
        out.int('channels', info.channels);
        out.int('bits_per_sample', info.bitsPerSample);
        out.int('total_samples', info.totalSamples);
        out.bytes('md5', info.md5);
      }
      out.int('metadata_block_count', box.blocks.length);
    },
  },
  alac: {
    decodedKey: 'frameLength',
    // The ALAC cookie, a child of the `alac` sample entry (a FullBox of the same fourcc).
    bento4: NOT_IN_BENTO4,
    fields(box: AlacSpecificBox, out) {
      out.int('frame_length', box.frameLength);
      out.int('compatible_version', box.compatibleVersion);
      out.int('bit_depth', box.bitDepth);
      out.int('pb', box.pb);
      out.int('mb', box.mb);
      out.int('kb', box.kb);
      out.int('num_channels', box.numChannels);
      out.int('max_run', box.maxRun);
      out.int('max_frame_bytes', box.maxFrameBytes);
      out.int('avg_bit_rate', box.avgBitRate);
      out.int('sample_rate', box.sampleRate);
    },
  },
  vttC: {
    bento4: NOT_IN_BENTO4,
    fields(box: WebVttStringBox, out) {
      out.str('config', box.text);
    },
  },
  vlab: {
    bento4: NOT_IN_BENTO4,
    fields(box: WebVttStringBox, out) {
      out.str('label', box.text);
    },
  },
  wave: {},
};
