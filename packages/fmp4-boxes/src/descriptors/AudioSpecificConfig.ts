/** Sampling frequencies by samplingFrequencyIndex (ISO/IEC 14496-3 1.6.3.3, Table 1.18). */
const FREQUENCIES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** The start of an AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): what a player needs to set up AAC. */
export interface AudioSpecificConfig {
  /** 2 AAC LC, 5 SBR (HE-AAC), 29 PS (HE-AAC v2)... (Table 1.17). */
  audioObjectType: number;
  samplingFrequencyIndex: number;
  samplingFrequency: number;
  /** 1-7 (Table 1.19); 0 means a program_config_element says. */
  channelConfiguration: number;
  /** With explicit SBR/PS signalling (audioObjectType 5 or 29): 5, and the core's type is `audioObjectType`. */
  extensionAudioObjectType?: number;
  /** The SBR output rate. */
  extensionSamplingFrequency?: number;
  /** Set when signalled with audioObjectType 29. */
  psPresent?: boolean;
}

/**
 * Parses the fields above, or returns undefined when the bytes end first:
 * a DecoderSpecificInfo that does not parse is shown as bytes, not an error.
 *
 * audioObjectType = GetAudioObjectType() (5 bits, 31 escapes to 32 + 6 bits);
 * samplingFrequencyIndex (4 bits, 0xf: samplingFrequency in 24 bits);
 * channelConfiguration (4 bits); for types 5 and 29: extensionSamplingFrequencyIndex
 * (4 bits, 0xf: 24 bits) then the core's audioObjectType again.
 */
export function parseAudioSpecificConfig(bytes: Uint8Array): AudioSpecificConfig | undefined {
  let bit = 0;
  const read = (count: number): number => {
    if (bit + count > bytes.length * 8) throw new RangeError('short');
    let value = 0;
    for (let i = 0; i < count; i++, bit++) value = value * 2 + ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1);
    return value;
  };
  const objectType = () => {
    const type = read(5);
    return type === 31 ? 32 + read(6) : type;
  };
  const frequency = (index: number) => (index === 0xf ? read(24) : (FREQUENCIES[index] ?? 0));
  try {
    let audioObjectType = objectType(); // audioObjectType
    const samplingFrequencyIndex = read(4); // samplingFrequencyIndex
    const samplingFrequency = frequency(samplingFrequencyIndex); // samplingFrequency
    const channelConfiguration = read(4); // channelConfiguration
    const config: AudioSpecificConfig = {
      audioObjectType,
      samplingFrequencyIndex,
      samplingFrequency,
      channelConfiguration,
    };
    if (audioObjectType === 5 || audioObjectType === 29) {
      config.extensionAudioObjectType = 5;
      if (audioObjectType === 29) config.psPresent = true;
      config.extensionSamplingFrequency = frequency(read(4)); // extensionSamplingFrequencyIndex
      audioObjectType = objectType(); // audioObjectType (of the core)
      config.audioObjectType = audioObjectType;
    }
    return config;
  } catch {
    return undefined;
  }
}
