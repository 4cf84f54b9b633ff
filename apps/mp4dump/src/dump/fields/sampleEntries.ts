/**
 * Sample entries, the children of `stsd` (ISO/IEC 14496-12 8.5.2, 12.1.3,
 * 12.2.3; Bento4's Ap4SampleEntry.cpp). Bento4 knows a fixed list of
 * fourccs (Ap4AtomFactory.cpp): visual ones print width, height and the
 * compressor name, audio ones channel count, sample size and rate, and any
 * other entry only its data_reference_index, without children.
 */
import type {
  AudioSampleEntry,
  Box,
  RtpHintSampleEntry,
  SampleEntry,
  TextSampleEntry,
  TimecodeSampleEntry,
  VisualSampleEntry,
  XmlSubtitleSampleEntry,
} from '@rec/fmp4-boxes';
import type { Inspector } from '../inspect/Inspector.js';
import type { BoxFormat } from './BoxFormat.js';

const BENTO4_VISUAL = new Set([
  'mp4v',
  'encv',
  'drmi',
  'avc1',
  'avc2',
  'avc3',
  'avc4',
  'dvav',
  'dva1',
  'hev1',
  'hvc1',
  'dvhe',
  'dvh1',
  'av01',
  'vp08',
  'vp09',
  'vp10',
]);
const BENTO4_AUDIO = new Set([
  'mp4a',
  'enca',
  'drms',
  'ac-3',
  'ec-3',
  'ac-4',
  'mlpa',
  'alac',
  'dtsc',
  'dtsh',
  'dtsl',
  'dtse',
  'fLaC',
  'Opus',
]);

/** How Bento4 reads a sample entry of this fourcc. */
export type Bento4EntryKind = 'visual' | 'audio' | 'plain' | 'subtitle' | 'hint' | 'unknown';

export function bento4EntryKind(type: string): Bento4EntryKind {
  if (BENTO4_VISUAL.has(type)) return 'visual';
  if (BENTO4_AUDIO.has(type)) return 'audio';
  if (type === 'mp4s') return 'plain';
  if (type === 'stpp') return 'subtitle';
  if (type === 'rtp ') return 'hint';
  return 'unknown';
}

function visualFields(box: VisualSampleEntry, out: Inspector): void {
  out.int('width', box.width);
  out.int('height', box.height);
  if (out.all) {
    out.float('horizresolution', box.horizResolution);
    out.float('vertresolution', box.vertResolution);
    out.int('frame_count', box.frameCount);
  }
  out.str('compressor', box.compressorName);
  if (out.all) out.int('depth', box.pixelDepth);
}

function audioFields(box: AudioSampleEntry, out: Inspector): void {
  // QuickTime sound description version 2 keeps the real count and rate in its extension (QTFF "Sound Sample Description (Version 2)").
  const v2 = box.qtVersion === 2;
  out.int('channel_count', v2 ? (box.qtV2ChannelCount ?? 0) & 0xffff : box.channelCount);
  out.int('sample_size', box.sampleSize);
  // Dolby TrueHD (mlpa) keeps the rate as a 32-bit integer where others have 16.16 (Dolby's MLP in ISOBMFF).
  const rate = box.type === 'mlpa' ? Math.round(box.sampleRate * 65536) : Math.floor(box.sampleRate);
  out.int('sample_rate', v2 ? Math.trunc(box.qtV2SampleRate64 ?? 0) >>> 0 : rate);
  if (box.qtVersion) out.int('qt_version', box.qtVersion);
  if (!out.all) return;
  if (box.qtVersion === 1) {
    out.int('qt_samples_per_packet', box.qtV1SamplesPerPacket ?? 0);
    out.int('qt_bytes_per_packet', box.qtV1BytesPerPacket ?? 0);
    out.int('qt_bytes_per_frame', box.qtV1BytesPerFrame ?? 0);
    out.int('qt_bytes_per_sample', box.qtV1BytesPerSample ?? 0);
  } else if (v2) {
    out.float('qt_sample_rate', box.qtV2SampleRate64 ?? 0);
    out.int('qt_bits_per_channel', box.qtV2BitsPerChannel ?? 0);
    out.hex('qt_format_specific_flags', box.qtV2FormatSpecificFlags ?? 0);
    out.int('qt_bytes_per_audio_packet', box.qtV2BytesPerAudioPacket ?? 0);
    out.int('qt_lpcm_frames_per_audio_packet', box.qtV2LpcmFramesPerAudioPacket ?? 0);
  }
}

function textFields(box: TextSampleEntry, out: Inspector): void {
  out.hex('display_flags', box.displayFlags);
  out.int('horizontal_justification', box.horizontalJustification);
  out.int('vertical_justification', box.verticalJustification);
  out.bytes('background_color', box.backgroundColor);
  out.str('default_text_box', box.defaultTextBox.join(','));
  const style = box.defaultStyle;
  out.int('start_char', style.startChar);
  out.int('end_char', style.endChar);
  out.int('font_id', style.fontId);
  out.int('face_style_flags', style.faceStyleFlags);
  out.int('font_size', style.fontSize);
  out.bytes('text_color', style.textColor);
}

function timecodeFields(box: TimecodeSampleEntry, out: Inspector): void {
  out.hex('flags', box.timecodeFlags);
  out.int('timescale', box.timeScale);
  out.int('frame_duration', box.frameDuration);
  out.int('number_of_frames', box.numberOfFrames);
}

function subtitleFields(box: XmlSubtitleSampleEntry, out: Inspector): void {
  out.str('namespace', box.namespace);
  out.str('schema_location', box.schemaLocation);
  // Bento4 names the third string image_mime_type (14496-12 says auxiliary_mime_types).
  out.str('image_mime_type', box.auxiliaryMimeTypes);
}

/** The fields this entry's decoder gave it, by what it decoded. */
function decodedFields(box: SampleEntry & Record<string, unknown>, out: Inspector): void {
  if ('compressorName' in box) visualFields(box as unknown as VisualSampleEntry, out);
  else if ('channelCount' in box) audioFields(box as unknown as AudioSampleEntry, out);
  else if (box.type === 'tx3g') textFields(box as unknown as TextSampleEntry, out);
  else if (box.type === 'tmcd') timecodeFields(box as unknown as TimecodeSampleEntry, out);
  else if (box.type === 'stpp') subtitleFields(box as unknown as XmlSubtitleSampleEntry, out);
  else if ('maxPacketSize' in box) hintFields(box as unknown as RtpHintSampleEntry, out);
}

/** AP4_RtpHintSampleEntry. */
function hintFields(box: RtpHintSampleEntry, out: Inspector): void {
  out.int('hint_track_version', box.hintTrackVersion);
  out.int('highest_compatible_version', box.highestCompatibleVersion);
  out.int('max_packet_size', box.maxPacketSize);
}

/** The format of a child of `stsd`. */
export const sampleEntryFormat: BoxFormat<SampleEntry & Record<string, unknown>> = {
  decodedKey: 'dataReferenceIndex',
  fields(box, out) {
    out.int('data_reference_index', box.dataReferenceIndex);
    if (out.all) {
      decodedFields(box, out);
      return;
    }
    const kind = bento4EntryKind(box.type);
    if (kind === 'visual' && 'compressorName' in box) visualFields(box as unknown as VisualSampleEntry, out);
    else if (kind === 'audio' && 'channelCount' in box) audioFields(box as unknown as AudioSampleEntry, out);
    else if (kind === 'subtitle' && box.type === 'stpp')
      subtitleFields(box as unknown as XmlSubtitleSampleEntry, out);
    else if (kind === 'hint' && 'maxPacketSize' in box) hintFields(box as unknown as RtpHintSampleEntry, out);
  },
};

/** Bento4 keeps an unknown entry's body as bytes: no children are shown. */
export const bento4ShowsEntryChildren = (box: Box): boolean => bento4EntryKind(box.type) !== 'unknown';
