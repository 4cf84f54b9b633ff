import type { Box } from '../Box.js';
import type { AudioSampleEntry } from '../boxes/AudioSampleEntry.js';
import type { AvcConfigurationBox } from '../boxes/AvcConfigurationBox.js';
import type { EsdsBox } from '../boxes/EsdsBox.js';
import type { VisualSampleEntry } from '../boxes/VisualSampleEntry.js';
import type { Descriptor, EsDescriptor } from '../descriptors/Descriptor.js';
import { makeBox } from './makeBox.js';

export interface AvcSampleEntryOptions {
  width: number;
  height: number;
  /** SPS NAL units (header byte included, no start code): profile and level come from the first. */
  sps: readonly Uint8Array[];
  pps: readonly Uint8Array[];
  /** `avc1` (parameter sets only here) or `avc3` (also in band). */
  type?: 'avc1' | 'avc3';
}

/** An `avc1` sample entry with its `avcC` (ISO/IEC 14496-15 5.4.2), for `buildInitSegment`. */
export function avcSampleEntry(options: AvcSampleEntryOptions): VisualSampleEntry {
  const first = options.sps[0];
  if (first === undefined || first.length < 4)
    throw new TypeError('Expected `sps` to hold an SPS of 4 bytes or more');
  const profile = first[1]!; // profile_idc
  const avcC = makeBox<AvcConfigurationBox>('avcC', {
    configurationVersion: 1,
    profile,
    profileCompatibility: first[2]!, // constraint_set flags
    level: first[3]!, // level_idc
    naluLengthSize: 4,
    sequenceParameters: [...options.sps],
    pictureParameters: [...options.pps],
    // High profiles carry the extension; 4:2:0 8-bit unless the caller edits it.
    ...([100, 110, 122, 144].includes(profile)
      ? { chromaFormat: 1, bitDepthLumaMinus8: 0, bitDepthChromaMinus8: 0, sequenceParameterExtensions: [] }
      : {}),
  });
  return visualEntry(options.type ?? 'avc1', options.width, options.height, [avcC]);
}

/** A VisualSampleEntry (12.1.3) with the usual defaults: 72 dpi, one frame per sample, 24-bit depth. */
export function visualEntry(type: string, width: number, height: number, children: Box[]): VisualSampleEntry {
  return makeBox<VisualSampleEntry>(
    type,
    {
      reserved1: new Uint8Array(6),
      dataReferenceIndex: 1,
      predefined1: 0,
      reserved2: 0,
      predefined2: new Uint8Array(12),
      width,
      height,
      horizResolution: 72,
      vertResolution: 72,
      reserved3: 0,
      frameCount: 1,
      compressorName: '',
      pixelDepth: 0x18,
      predefined3: -1,
    },
    children,
  );
}

export interface AacSampleEntryOptions {
  sampleRate: number;
  channelCount: number;
  /** The AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1), e.g. `11 90` for AAC LC 48 kHz stereo. */
  audioSpecificConfig: Uint8Array;
  /** Bits per second, for the DecoderConfigDescriptor (0: unknown). */
  bitrate?: number;
}

/** An `mp4a` sample entry with its `esds` (ISO/IEC 14496-14 5.6): object type 0x40 (MPEG-4 audio). */
export function aacSampleEntry(options: AacSampleEntryOptions): AudioSampleEntry {
  const bitrate = options.bitrate ?? 0;
  const dsi: Descriptor & { info: Uint8Array } = {
    tag: 5,
    offset: 0,
    headerSize: 2,
    payloadSize: 0,
    info: options.audioSpecificConfig,
  };
  const config = {
    tag: 4,
    offset: 0,
    headerSize: 2,
    payloadSize: 0,
    objectTypeIndication: 0x40, // MPEG-4 audio
    streamType: 5, // audio
    upStream: false,
    reserved: 1,
    bufferSize: 0,
    maxBitrate: bitrate,
    averageBitrate: bitrate,
    subDescriptors: [dsi],
  };
  const sl = { tag: 6, offset: 0, headerSize: 2, payloadSize: 0, predefined: 2, data: new Uint8Array(0) }; // 14496-14: predefined 2
  const es: EsDescriptor = {
    tag: 3,
    offset: 0,
    headerSize: 2,
    payloadSize: 0,
    esId: 0,
    flags: 0,
    streamPriority: 0,
    subDescriptors: [config as Descriptor, sl as Descriptor],
  };
  const esds = makeBox<EsdsBox>('esds', { version: 0, flags: 0, descriptors: [es] });
  return makeBox<AudioSampleEntry>(
    'mp4a',
    {
      reserved1: new Uint8Array(6),
      dataReferenceIndex: 1,
      qtVersion: 0,
      qtRevision: 0,
      qtVendor: 0,
      channelCount: options.channelCount,
      sampleSize: 16,
      qtCompressionId: 0,
      qtPacketSize: 0,
      sampleRate: options.sampleRate,
    },
    [esds],
  );
}
