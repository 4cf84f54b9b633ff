/**
 * `dac4` (ETSI TS 103 190-2 E.5/E.6, ac4_dsi_v1) from hand-packed bits, one
 * comment per syntax element: the header fields, presentations of each
 * version (their pres_bytes kept whole, their leading fields decoded), the
 * 255 escape of pres_bytes, and a box cut short; each written back as read.
 */

import { bits, box } from '@rec/test-support';
import { describe, expect, it } from 'vitest';
import { type Ac4SpecificBox, parseBoxes } from '../src/index.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

const UUID = Array.from({ length: 16 }, (_, i) => 0xa0 + i);

/** An ac4_presentation_v1_dsi start: 5.1.2 channel coded (dsi_presentation_ch_mode 13), then padding to `size`. */
function presentationV1(size: number): number[] {
  const head = bits(
    [5, 1], // presentation_config_v1
    [3, 2], // mdcompat
    [1, 1], // b_presentation_id
    [5, 7], // presentation_id
    [2, 0], // dsi_frame_rate_multiply_info
    [2, 1], // dsi_frame_rate_fraction_info
    [5, 0], // presentation_emdf_version
    [10, 0x155], // presentation_key_id
    [1, 1], // b_presentation_channel_coded
    [5, 13], // dsi_presentation_ch_mode
    [1, 1], // pres_b_4_back_channels_present
    [2, 2], // pres_top_channel_pairs
    [24, 0x00004f], // presentation_channel_mask_v1
  );
  return [...head, ...new Array<number>(size - head.length).fill(0x5a)]; // the rest of the presentation, as bytes
}

const read = (input: Uint8Array) => {
  expectRoundTrip(input);
  return parseBoxes(input)[0] as Ac4SpecificBox;
};

describe('dac4', () => {
  it('an ac4_dsi_v1 with a program id, a uuid and two presentations (one behind the 255 escape)', () => {
    const dsi = [
      ...bits(
        [3, 1], // ac4_dsi_version
        [7, 2], // bitstream_version
        [1, 1], // fs_index: 48 kHz
        [4, 2], // frame_rate_index
        [9, 2], // n_presentations
        [1, 1], // b_program_id
        [16, 0x1234], // short_program_id
        [1, 1], // b_uuid
        ...UUID.map((b): [number, number] => [8, b]), // program_uuid
        [2, 2], // bit_rate_mode: average
        [32, 96000], // bit_rate
        [32, 0xffffffff], // bit_rate_precision
      ), // then byte_align(): 24 + 1 + 17 + 128 + 66 = 236 bits, 4 zero bits
      1, // presentation_version
      12, // pres_bytes
      ...presentationV1(12),
      2, // presentation_version
      255, // pres_bytes: escape
      0,
      45, // add_pres_bytes: 300 in all
      ...presentationV1(300),
    ];
    const dac4 = read(new Uint8Array(box('dac4', dsi)));
    expect(dac4).toMatchObject({
      ac4DsiVersion: 1,
      bitstreamVersion: 2,
      fsIndex: 1,
      frameRateIndex: 2,
      nPresentations: 2,
      shortProgramId: 0x1234,
      programUuid: new Uint8Array(UUID),
      bitRateMode: 2,
      bitRate: 96000,
      bitRatePrecision: 0xffffffff,
      alignBits: 0,
    });
    expect(dac4.presentations).toHaveLength(2);
    const fields = {
      presentationConfig: 1,
      mdcompat: 2,
      presentationId: 7,
      dsiFrameRateMultiplyInfo: 0,
      dsiFrameRateFractionInfo: 1,
      presentationEmdfVersion: 0,
      presentationKeyId: 0x155,
      presentationChannelCoded: 1,
      dsiPresentationChMode: 13,
      presB4BackChannelsPresent: 1,
      presTopChannelPairs: 2,
      presentationChannelMask: 0x4f,
    };
    expect(dac4.presentations![0]).toMatchObject({ presentationVersion: 1, ...fields });
    expect(dac4.presentations![0]!.data).toHaveLength(12);
    expect(dac4.presentations![1]).toMatchObject({ presentationVersion: 2, ...fields });
    expect(dac4.presentations![1]!.data).toHaveLength(300);
  });

  it('bitstream_version 1 (no program id), a version 0 presentation, and a presentation cut short kept as bytes', () => {
    const dsi = [
      ...bits(
        [3, 1], // ac4_dsi_version
        [7, 1], // bitstream_version
        [1, 0], // fs_index: 44.1 kHz
        [4, 5], // frame_rate_index
        [9, 2], // n_presentations
        [2, 1], // bit_rate_mode: constant
        [32, 64000], // bit_rate
        [32, 1000], // bit_rate_precision
        [6, 0b101], // byte_align(): 90 bits, 6 bits (not zero here: kept)
      ),
      0, // presentation_version
      6, // pres_bytes
      ...bits(
        [5, 2], // presentation_config
        [3, 1], // mdcompat
        [1, 0], // b_presentation_id
        [2, 1], // dsi_frame_rate_multiply_info
        [5, 3], // presentation_emdf_version
        [10, 9], // presentation_key_id
        [24, 0x000003], // presentation_channel_mask
      ).slice(0, 6), // 50 bits, cut to the 6 bytes of pres_bytes
      1, // presentation_version
      40, // pres_bytes: more than the box has left
      1,
      2,
      3,
    ];
    // The v0 presentation's fields run 2 bits past its 6 bytes: those read as 0 (the mask's low bits).
    const dac4 = read(new Uint8Array(box('dac4', dsi)));
    expect(dac4).toMatchObject({ bitstreamVersion: 1, fsIndex: 0, nPresentations: 2, alignBits: 0b101 });
    expect(dac4.shortProgramId).toBeUndefined();
    expect(dac4.presentations).toHaveLength(1);
    expect(dac4.presentations![0]).toMatchObject({
      presentationVersion: 0,
      presentationConfig: 2,
      mdcompat: 1,
      dsiFrameRateMultiplyInfo: 1,
      presentationEmdfVersion: 3,
      presentationKeyId: 9,
      presentationChannelMask: 0,
    });
    expect(dac4.presentations![0]!.presentationId).toBeUndefined();
    expect(dac4.trailing).toEqual(new Uint8Array([1, 40, 1, 2, 3]));
  });

  it('the deprecated ac4_dsi (version 0): its first 24 bits, the rest as bytes', () => {
    const dsi = [
      ...bits(
        [3, 0], // ac4_dsi_version
        [7, 0], // bitstream_version
        [1, 1], // fs_index
        [4, 3], // frame_rate_index
        [9, 1], // n_presentations
      ),
      0x11,
      0x22, // the ac4_dsi presentations
    ];
    const dac4 = read(new Uint8Array(box('dac4', dsi)));
    expect(dac4).toMatchObject({ ac4DsiVersion: 0, fsIndex: 1, frameRateIndex: 3, nPresentations: 1 });
    expect(dac4.presentations).toBeUndefined();
    expect(dac4.trailing).toEqual(new Uint8Array([0x11, 0x22]));
  });
});
