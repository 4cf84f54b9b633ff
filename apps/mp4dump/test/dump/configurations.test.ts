/**
 * dac4, vvcC and chpl as mp4dump prints them: dac4 with the fields and
 * names of Bento4 1.6's AP4_Dac4Atom (under --bento4 too, inside an ac-4
 * entry), vvcC and chpl (which Bento4 leaves undecoded) in the default
 * mode only. Boxes built by hand, one comment per field.
 */
import { bytesSource } from '@rec/core';
import { bits, box, fourcc, u16, u32 } from '@rec/test-support';
import { describe, expect, it } from 'vitest';
import { type DumpOptions, dumpSource } from '../../src/dump/index.js';
import { DEFAULTS } from './helpers/fixtures.js';

async function dump(bytes: Uint8Array, options: Partial<DumpOptions> = {}): Promise<string> {
  let text = '';
  const write = (chunk: string) => {
    text += chunk;
  };
  const result = await dumpSource(bytesSource(bytes), write, {
    ...DEFAULTS,
    ...options,
  });
  expect(result.error).toBeUndefined();
  return text;
}

/** stsd > ac-4 (an AudioSampleEntry: 2 channels, 16 bits, 48 kHz) > dac4. */
const ac4Track = (dsi: number[]) =>
  new Uint8Array(
    box(
      'stsd',
      [0, 0, 0, 0], // version, flags
      u32(1), // entry_count
      box(
        'ac-4',
        [0, 0, 0, 0, 0, 0], // reserved
        u16(1), // data_reference_index
        [0, 0, 0, 0, 0, 0, 0, 0], // reserved
        u16(2), // channelcount
        u16(16), // samplesize
        u16(0), // pre_defined
        u16(0), // reserved
        u32(48000 * 0x10000), // samplerate
        box('dac4', dsi),
      ),
    ),
  );

describe('dac4', () => {
  const dsi = [
    ...bits(
      [3, 1], // ac4_dsi_version
      [7, 2], // bitstream_version
      [1, 1], // fs_index
      [4, 2], // frame_rate_index
      [9, 2], // n_presentations
      [1, 1], // b_program_id
      [16, 0x1234], // short_program_id
      [1, 0], // b_uuid
      [2, 2], // bit_rate_mode
      [32, 96000], // bit_rate
      [32, 0xffffffff], // bit_rate_precision
    ), // byte_align(): 108 bits, 4 zero bits
    1, // presentation_version
    9, // pres_bytes
    ...bits(
      [5, 1], // presentation_config_v1
      [3, 3], // mdcompat
      [1, 1], // b_presentation_id
      [5, 4], // presentation_id
      [2, 0], // dsi_frame_rate_multiply_info
      [2, 0], // dsi_frame_rate_fraction_info
      [5, 0], // presentation_emdf_version
      [10, 0], // presentation_key_id
      [1, 1], // b_presentation_channel_coded
      [5, 11], // dsi_presentation_ch_mode
      [1, 1], // pres_b_4_back_channels_present
      [2, 1], // pres_top_channel_pairs
      [24, 0x04004f], // presentation_channel_mask_v1
    ), // 66 bits, 9 bytes
    1, // presentation_version
    3, // pres_bytes
    ...bits(
      [5, 2], // presentation_config_v1
      [3, 1], // mdcompat
      [1, 0], // b_presentation_id
      [2, 1], // dsi_frame_rate_multiply_info
      [2, 0], // dsi_frame_rate_fraction_info
      [5, 1], // presentation_emdf_version
      [10, 0x201], // presentation_key_id
      [1, 0], // b_presentation_channel_coded
    ), // 29 bits: 4 bytes, cut to pres_bytes 3 below (the key id's last 4 bits read as 0)
  ].slice(0, -1);
  const presentation0 = [
    '[00].presentation_version = 1',
    '[00].presentation_config_v1 = 1',
    '[00].mdcompat = 3',
    '[00].presentation_id = 4',
    '[00].dsi_frame_rate_multiply_info = 0',
    '[00].dsi_frame_rate_fraction_info = 0',
    '[00].presentation_emdf_version = 0',
    '[00].presentation_key_id = 0',
    '[00].b_presentation_channel_coded = 1',
    '[00].dsi_presentation_ch_mode = 11',
    '[00].pres_b_4_back_channels_present = 1',
    '[00].pres_top_channel_pairs = 1',
    '[00].presentation_channel_mask_v1 = 4004f',
  ];
  const presentation1 = [
    '[01].presentation_version = 1',
    '[01].presentation_config_v1 = 2',
    '[01].mdcompat = 1',
    '[01].presentation_id = 0',
    '[01].dsi_frame_rate_multiply_info = 1',
    '[01].dsi_frame_rate_fraction_info = 0',
    '[01].presentation_emdf_version = 1',
    '[01].presentation_key_id = 512',
    '[01].b_presentation_channel_coded = 0',
    '[01].dsi_presentation_ch_mode = 0',
    '[01].pres_b_4_back_channels_present = 0',
    '[01].pres_top_channel_pairs = 0',
    // Not channel coded: Bento4's 0x800000.
    '[01].presentation_channel_mask_v1 = 800000',
  ];
  const header = [
    'ac4_dsi_version = 1',
    'bitstream_version = 2',
    'fs_index = 1',
    'fs = 48000',
    'frame_rate_index = 2',
  ];
  const bitrate = [
    'short_program_id = 4660',
    'program_uuid = [00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00]',
    'bit_rate_mode = 2',
    'bit_rate = 96000',
    'bit_rate_precision = 4294967295',
  ];
  const lines = (fields: string[]) => fields.map((line) => `      ${line}\n`).join('');

  it("Bento4's fields under --bento4, with n_presentations in the default mode", async () => {
    const bento4 = await dump(ac4Track(dsi), { bento4: true });
    expect(bento4).toContain(
      `    [dac4] size=8+${dsi.length}\n${lines([...header, ...bitrate, ...presentation0, ...presentation1])}`,
    );
    const all = await dump(ac4Track(dsi));
    expect(all).toContain(
      `    [dac4] size=8+${dsi.length}\n${lines([...header, 'n_presentations = 2', ...bitrate, ...presentation0, ...presentation1])}`,
    );
  });

  it('a body under 11 bytes: Bento4 decodes nothing and prints version 0 with zeros', async () => {
    const v0 = bits([3, 0], [7, 0], [1, 1], [4, 3], [9, 1]); // ac4_dsi_version 0, bitstream_version, fs_index, frame_rate_index, n_presentations
    const bento4 = await dump(ac4Track(v0), { bento4: true });
    expect(bento4).toContain(
      `    [dac4] size=8+3\n${lines(['ac4_dsi_version = 0', 'bitstream_version = 0', 'fs_index = 0', 'fs = 0', 'frame_rate_index = 0'])}`,
    );
    const all = await dump(ac4Track(v0));
    expect(all).toContain(
      `    [dac4] size=8+3\n${lines(['ac4_dsi_version = 0', 'bitstream_version = 0', 'fs_index = 1', 'fs = 48000', 'frame_rate_index = 3', 'n_presentations = 1'])}`,
    );
  });
});

describe('vvcC and chpl (not in Bento4)', () => {
  it('vvcC: its record and NAL units in the default mode, its size only under --bento4', async () => {
    const vvcC = new Uint8Array(
      box(
        'vvcC',
        [0, 0, 0, 0], // version, flags
        bits(
          [5, 0x1f], // reserved
          [2, 3], // LengthSizeMinusOne
          [1, 1], // ptl_present_flag
          [9, 0], // ols_idx
          [3, 1], // num_sublayers
          [2, 1], // constant_frame_rate
          [2, 1], // chroma_format_idc
          [3, 2], // bit_depth_minus8
          [5, 0x1f], // reserved
          [2, 0], // reserved
          [6, 1], // num_bytes_constraint_info
          [7, 1], // general_profile_idc
          [1, 0], // general_tier_flag
          [8, 51], // general_level_idc
          [1, 1], // ptl_frame_only_constraint_flag
          [1, 0], // ptl_multi_layer_enabled_flag
          [6, 0], // general_constraint_info
          [8, 0], // ptl_num_sub_profiles
          [16, 1280], // max_picture_width
          [16, 720], // max_picture_height
          [16, 0], // avg_frame_rate
          [8, 1], // num_of_arrays
          [8, 0x80 | 15], // array_completeness, reserved, NAL_unit_type: SPS
          [16, 1], // num_nalus
          [16, 3], // nal_unit_length
          [24, 0x007900], // nal_unit
        ),
      ),
    );
    expect(await dump(vvcC)).toBe(
      [
        '[vvcC] size=12+24',
        '  NALU Length Size = 4',
        '  ols_idx = 0',
        '  num_sublayers = 1',
        '  constant_frame_rate = 1',
        '  chroma_format_idc = 1',
        '  bit_depth = 10',
        '  general_profile_idc = 1',
        '  general_tier_flag = 0',
        '  general_level_idc = 51',
        '  ptl_frame_only_constraint_flag = 1',
        '  ptl_multi_layer_enabled_flag = 0',
        '  general_constraint_info = [00]',
        '  max_picture_width = 1280',
        '  max_picture_height = 720',
        '  avg_frame_rate = 0',
        '  SPS = [00 79 00]',
        '',
      ].join('\n'),
    );
    expect(await dump(vvcC, { bento4: true })).toBe('[vvcC] size=8+28\n');
  });

  it('chpl: the chapters with their 100 ns start times', async () => {
    const chpl = new Uint8Array(
      box(
        'chpl',
        [1, 0, 0, 0], // version 1, flags
        u32(0), // reserved
        [2], // chapter_count
        [0, 0, 0, 0],
        u32(0), // start_time
        [5],
        fourcc('Intro'), // title_length, title
        [0, 0, 0, 0],
        u32(15_000_000), // start_time: 1.5 s
        [2],
        [0xc2, 0xa9], // title_length, title: ©
      ),
    );
    expect(await dump(chpl)).toBe(
      [
        '[chpl] size=12+30, version=1',
        '  chapter_count = 2',
        '  chapters:',
        '    (       0) start_time = 0, title = Intro',
        '    (       1) start_time = 15000000, title = ©',
        '',
      ].join('\n'),
    );
  });
});

describe('3GPP udta strings (titl, dscp, cprt, perf, auth, gnre) and yrrc', () => {
  /** 'eng' packed: three 5-bit letters - 0x60. */
  const eng = u16(((0x65 - 0x60) << 10) | ((0x6e - 0x60) << 5) | (0x67 - 0x60));
  const text = (value: string) => [...new TextEncoder().encode(value), 0];
  const udta = new Uint8Array(
    box(
      'udta',
      box('titl', [0, 0, 0, 0], eng, text('Big Buck Bunny')), // version 0, flags, language, value
      box('perf', [1, 0, 0, 0], eng, text('v1')), // version 1: Bento4 leaves it undecoded
      box('dscp', [0, 0, 0, 0], eng, [0xfe, 0xff, 0x00, 0x48, 0x00, 0xe9, 0x00, 0x00]), // UTF-16 "Hé"
      box('yrrc', [0, 0, 0, 0], u16(2008)), // recording_year
    ),
  );

  it("Bento4's language and value under --bento4 (version 0 only), yrrc in the default mode", async () => {
    expect(await dump(udta, { bento4: true })).toBe(
      [
        '[udta] size=8+82',
        '  [titl] size=12+17',
        '    language = eng',
        '    value = Big Buck Bunny',
        '  [perf] size=8+9',
        '  [dscp] size=12+10',
        '    language = eng',
        '    value = Hé',
        '  [yrrc] size=8+6',
        '',
      ].join('\n'),
    );
    expect(await dump(udta)).toBe(
      [
        '[udta] size=8+82',
        '  [titl] size=12+17',
        '    language = eng',
        '    value = Big Buck Bunny',
        '  [perf] size=12+5, version=1',
        '    language = eng',
        '    value = v1',
        '  [dscp] size=12+10',
        '    language = eng',
        '    value = Hé',
        '  [yrrc] size=12+2',
        '    recording_year = 2008',
        '',
      ].join('\n'),
    );
  });
});

describe('esds descriptor lists as Bento4 reads them', () => {
  /** A 14496-1 descriptor: tag, a one-byte size, the payload. */
  const descriptor = (tag: number, ...payload: number[][]) => {
    const body = payload.flat();
    return [tag, body.length, ...body];
  };
  const esds = (dsi: number[]) =>
    new Uint8Array(
      box(
        'esds',
        [0, 0, 0, 0], // version, flags
        descriptor(
          0x03, // ES_Descriptor
          u16(1), // ES_ID
          [0], // flags, streamPriority
          descriptor(
            0x04, // DecoderConfigDescriptor
            [0x40, 0x15], // objectTypeIndication (AAC), streamType 5 << 2 | upStream 0 | reserved 1
            [0, 0, 0], // bufferSizeDB
            u32(128_000), // maxBitrate
            u32(128_000), // avgBitrate
            dsi,
          ),
          descriptor(0x06, [2]), // SLConfigDescriptor: predefined 2
        ),
      ),
    );

  it('an empty DecoderSpecificInfo ends the DecoderConfig list under --bento4 (Bento4 refuses empty descriptors); shown empty in the default mode', async () => {
    const file = esds(descriptor(0x05));
    const config = [
      '    [DecoderConfig] size=2+15',
      '      stream_type = 5',
      '      object_type = 64',
      '      up_stream = 0',
      '      buffer_size = 0',
      '      max_bitrate = 128000',
      '      avg_bitrate = 128000',
    ];
    const head = [
      '[esds] size=12+25',
      '  [ESDescriptor] size=2+23',
      '    es_id = 1',
      '    stream_priority = 0',
    ];
    expect(await dump(file, { bento4: true })).toBe(
      [...head, ...config, '    [Descriptor:06] size=2+1', ''].join('\n'),
    );
    expect(await dump(file)).toContain(`${config.at(-1)}\n      DecoderSpecificInfo = \n`);
  });
});

describe('RTP hint boxes (rtp  sample entry, tims, hnti with sdp  and the movie rtp )', () => {
  const latin = (text: string) => [...text].map((c) => c.charCodeAt(0));
  const file = new Uint8Array([
    ...box(
      'stsd',
      [0, 0, 0, 0], // version, flags
      u32(1), // entry_count
      box(
        'rtp ',
        [0, 0, 0, 0, 0, 0], // reserved
        u16(1), // data_reference_index
        u16(1), // hinttrackversion
        u16(1), // highestcompatibleversion
        u32(1450), // maxpacketsize
        box('tims', u32(90_000)), // timescale
      ),
    ),
    ...box(
      'udta',
      box(
        'hnti',
        box('rtp ', fourcc('sdp '), latin('v=0\r\ns=rec\r\n'), [0, 0]), // descriptionformat, sdptext, NUL + padding
        box('sdp ', latin('m=video 0 RTP/AVP 96\r\n')), // sdptext
      ),
    ),
  ]);

  it('as a Bento4 1.6 build prints them, in both modes', async () => {
    const expected = [
      '[stsd] size=12+40',
      '  entry_count = 1',
      '  [rtp ] size=8+28',
      '    data_reference_index = 1',
      '    hint_track_version = 1',
      '    highest_compatible_version = 1',
      '    max_packet_size = 1450',
      '    [tims] size=8+4',
      '      timescale = 90000',
      '[udta] size=8+64',
      '  [hnti] size=8+56',
      '    [rtp ] size=8+18',
      '      description_format = sdp ',
      '      sdp_text = v=0\r\ns=rec\r\n',
      '    [sdp ] size=8+22',
      '      sdp_text = m=video 0 RTP/AVP 96\r\n',
      '',
    ].join('\n');
    expect(await dump(file, { bento4: true })).toBe(expected);
    expect(await dump(file)).toBe(expected);
  });
});
