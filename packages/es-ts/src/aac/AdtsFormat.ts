/**
 * The ADTS format facts in one place (issue 8): the Audio Object Type names,
 * the channels and layouts of each channel_configuration, and what must
 * agree between two streams. The header layout and the sampling frequency
 * table are in `adtsHeader.ts`.
 */

/**
 * What must agree between ADTS chunks for their frames to follow each other in
 * one stream: the fields of adts_fixed_header() (ISO/IEC 13818-7 6.2.1,
 * ISO/IEC 14496-3 1.A.2.2.1) a decoder configures itself from.
 */
export interface AdtsFormat {
  /** MPEG-4 Audio Object Type (profile_ObjectType + 1): 2 = AAC LC. */
  audioObjectType: number;
  sampleRate: number;
  /** sampling_frequency_index (ISO/IEC 14496-3 Table 1.18). */
  samplingFrequencyIndex: number;
  /** channel_configuration (ISO/IEC 14496-3 Table 1.19); 0 = given by a program_config_element. */
  channelConfiguration: number;
  /** ID bit of the first frame: 4 = MPEG-4, 2 = MPEG-2 AAC. Not required to agree. */
  mpegVersion: 2 | 4;
}

/** Audio Object Types an ADTS header can carry (profile_ObjectType 0..3; ISO/IEC 14496-3 Table 1.17). */
const OBJECT_TYPE_NAMES: Record<number, string> = {
  1: 'AAC Main',
  2: 'AAC LC',
  3: 'AAC SSR',
  4: 'AAC LTP',
};

/** Channels of channel_configuration 1..7 (ISO/IEC 14496-3 Table 1.19). */
const CONFIGURATION_CHANNELS = [0, 1, 2, 3, 4, 5, 6, 8] as const;

/** Loudspeaker layouts of channel_configuration 1..7, as ffmpeg names them. */
const CONFIGURATION_LAYOUTS = ['', 'mono', 'stereo', '3.0', '4.0', '5.0', '5.1', '7.1'] as const;

export const aacObjectTypeName = (audioObjectType: number): string =>
  OBJECT_TYPE_NAMES[audioObjectType] ?? `audio object type ${audioObjectType}`;

/** Output channels of a channel configuration; 0 when a program_config_element defines them. */
export const aacChannelCount = (channelConfiguration: number): number =>
  CONFIGURATION_CHANNELS[channelConfiguration] ?? 0;

/** ffmpeg's name for the layout of a channel configuration (`mono`, `stereo`, `5.1`...), or undefined for 0 (PCE). */
export const aacChannelLayout = (channelConfiguration: number): string | undefined =>
  CONFIGURATION_LAYOUTS[channelConfiguration] || undefined;

/** Two chunks can be joined when a decoder needs no reconfiguration between them. */
export function sameAdtsFormat(a: AdtsFormat, b: AdtsFormat): boolean {
  return (
    a.audioObjectType === b.audioObjectType &&
    a.samplingFrequencyIndex === b.samplingFrequencyIndex &&
    a.channelConfiguration === b.channelConfiguration
  );
}

/** `AAC LC, 48000 Hz, stereo (channel configuration 2)`: as a user compares it with ffprobe. */
export function describeAdtsFormat(format: AdtsFormat): string {
  const layout = aacChannelLayout(format.channelConfiguration) ?? 'channels in a PCE';
  return (
    `${aacObjectTypeName(format.audioObjectType)}, ${format.sampleRate} Hz, ` +
    `${layout} (channel configuration ${format.channelConfiguration})`
  );
}
