import { describe, expect, it } from 'vitest';
import {
  aacChannelCount,
  aacChannelLayout,
  aacObjectTypeName,
  describeAdtsFormat,
  hasAdtsSyncword,
  readAdtsHeader,
  sameAdtsFormat,
} from '../../src/bitstream/index.js';

// An ADTS header of AAC LC, 48 kHz, stereo, a 371-byte frame, variable rate, one raw data block:
const header = Uint8Array.from([
  0xff, // syncword (8 of 12)
  0xf1, // syncword (4), ID 0 (MPEG-4), layer 00, protection_absent 1
  0x4c, // profile_ObjectType 01 (LC), sampling_frequency_index 0011 (48000), private_bit 0, channel_configuration (1 of 3): 0
  0x80, // channel_configuration (2 of 3): 10 -> 2, originality, home, copyright bits 0, aac_frame_length (2 of 13)
  0x2e, // aac_frame_length (8 of 13)
  0x7f, // aac_frame_length (3 of 13): 371, adts_buffer_fullness (5 of 11)
  0xfc, // adts_buffer_fullness (6 of 11): 0x7FF, number_of_raw_data_blocks_in_frame 00
]);

describe('ADTS format facts (ISO/IEC 13818-7 6.2.1, ISO/IEC 14496-3 Tables 1.17-1.19)', () => {
  it('reads the header fields a decoder configures itself from', () => {
    expect(readAdtsHeader(header)).toMatchObject({
      audioObjectType: 2,
      samplingFrequencyIndex: 3,
      sampleRate: 48000,
      channelConfiguration: 2,
      frameLength: 371,
      bufferFullness: 0x7ff,
      headerLength: 7,
    });
  });

  it('tells a syncword from two bytes, as a header cut short needs', () => {
    expect(hasAdtsSyncword(header.subarray(0, 2))).toBe(true);
    expect(hasAdtsSyncword(header.subarray(0, 1))).toBe(false);
    expect(hasAdtsSyncword(Uint8Array.from([0xff, 0xf3]))).toBe(false); // layer 01
  });

  it('names object types and channel configurations as ffprobe does', () => {
    expect(aacObjectTypeName(2)).toBe('AAC LC');
    expect(aacObjectTypeName(5)).toBe('audio object type 5');
    expect([1, 2, 6, 7].map(aacChannelCount)).toEqual([1, 2, 6, 8]);
    expect(aacChannelLayout(6)).toBe('5.1');
    expect(aacChannelLayout(0)).toBeUndefined();
    const format = readAdtsHeader(header)!;
    expect(describeAdtsFormat(format)).toBe('AAC LC, 48000 Hz, stereo (channel configuration 2)');
  });

  it('joins streams that need no decoder reconfiguration, whatever their MPEG version bit', () => {
    const a = readAdtsHeader(header)!;
    expect(sameAdtsFormat(a, { ...a, mpegVersion: 2 })).toBe(true);
    expect(sameAdtsFormat(a, { ...a, channelConfiguration: 1 })).toBe(false);
    expect(sameAdtsFormat(a, { ...a, samplingFrequencyIndex: 4, sampleRate: 44100 })).toBe(false);
  });
});
