/**
 * Byte literals for boxes the fixtures and ffmpeg-made files do not hold,
 * one comment per field (ISO/IEC 14496-12 clause names; DASH 23009-1 for
 * emsg; 23001-7 for pssh; QTFF for QuickTime's meta).
 */

import { box, bytes, fourcc, fullBox, u8, u16, u24, u32, u64, zeros } from '@rec/test-support';
import { describe, expect, it } from 'vitest';
import { type Box, findBox, listFragmentSamples, parseBoxes } from '../src/index.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

const cstring = (text: string) => [...fourcc(text), 0];
const one = (...fields: number[][]) => {
  const input = bytes(...fields);
  expectRoundTrip(input);
  return parseBoxes(input)[0]!;
};

describe('boxes from byte literals', () => {
  it('emsg version 0 and 1 (ISO/IEC 23009-1 5.10.3.3)', () => {
    const v0 = one(
      fullBox(
        'emsg',
        0,
        0,
        cstring('urn:scte:scte35:2013:bin'), // scheme_id_uri
        cstring('1'), // value
        u32(90000), // timescale
        u32(180000), // presentation_time_delta
        u32(45000), // event_duration
        u32(7), // id
        u8(0xfc, 0x30), // message_data
      ),
    );
    expect(v0).toMatchObject({
      schemeIdUri: 'urn:scte:scte35:2013:bin',
      value: '1',
      timeScale: 90000,
      presentationTimeDelta: 180000,
      eventDuration: 45000,
      id: 7,
      messageData: new Uint8Array([0xfc, 0x30]),
    });
    const v1 = one(
      fullBox(
        'emsg',
        1,
        0,
        u32(1000), // timescale
        u64(2 ** 40), // presentation_time
        u32(0xffffffff), // event_duration: unknown
        u32(1), // id
        cstring('https://aomedia.org/emsg/ID3'), // scheme_id_uri
        cstring(''), // value
      ),
    );
    expect(v1).toMatchObject({
      timeScale: 1000,
      presentationTime: 2 ** 40,
      eventDuration: 0xffffffff,
      schemeIdUri: 'https://aomedia.org/emsg/ID3',
      value: '',
    });
  });

  it('pssh version 1 with key ids (ISO/IEC 23001-7 8.1)', () => {
    const widevine = [
      0xed, 0xef, 0x8b, 0xa9, 0x79, 0xd6, 0x4a, 0xce, 0xa3, 0xc8, 0x27, 0xdc, 0xd5, 0x1d, 0x21, 0xed,
    ];
    const pssh = one(
      fullBox(
        'pssh',
        1,
        0,
        widevine, // SystemID
        u32(2), // KID_count
        new Array(16).fill(0x11), // KID
        new Array(16).fill(0x22), // KID
        u32(3), // DataSize
        u8(1, 2, 3), // Data
      ),
    );
    expect(pssh).toMatchObject({
      systemId: 'edef8ba979d64acea3c827dcd51d21ed',
      kids: ['11'.repeat(16), '22'.repeat(16)],
      data: new Uint8Array([1, 2, 3]),
    });
  });

  it('a pssh KID_count larger than the box is an error', () => {
    expect(() => parseBoxes(bytes(fullBox('pssh', 1, 0, zeros(16), u32(1 << 28), u32(0))))).toThrow(
      'pssh @ 0x20: KID_count 268435456 needs 4294967296 bytes, 4 left',
    );
  });

  it('stz2 with 4-bit entries (8.7.3.3)', () => {
    const stz2 = one(
      fullBox(
        'stz2',
        0,
        0,
        u24(0), // reserved
        u8(4), // field_size
        u32(3), // sample_count
        u8(0x12, 0x30), // entry_size 1, 2, 3 (and a pad nibble)
      ),
    );
    expect([...(stz2 as Box & { entries: Uint32Array }).entries]).toEqual([1, 2, 3]);
  });

  it('sgpd version 1 with per-entry lengths, sbgp version 1 (8.9)', () => {
    const [sgpd, sbgp] = parseBoxes(
      bytes(
        fullBox(
          'sgpd',
          1,
          0,
          fourcc('seig'), // grouping_type
          u32(0), // default_length: each entry has its own
          u32(2), // entry_count
          u32(2), // description_length
          u8(1, 2), // SampleGroupEntry
          u32(1), // description_length
          u8(3), // SampleGroupEntry
        ),
        fullBox(
          'sbgp',
          1,
          0,
          fourcc('seig'), // grouping_type
          u32(5), // grouping_type_parameter
          u32(1), // entry_count
          u32(10), // sample_count
          u32(0x10001), // group_description_index: the fragment's first
        ),
      ),
    );
    expect(sgpd).toMatchObject({ entryCount: 2, entries: [new Uint8Array([1, 2]), new Uint8Array([3])] });
    expect(sbgp).toMatchObject({
      groupingTypeParameter: 5,
      sampleCounts: new Uint32Array([10]),
      groupDescriptionIndexes: new Uint32Array([0x10001]),
    });
  });

  it('a QuickTime meta (no version and flags) with mdta keys and items', () => {
    const [udta] = parseBoxes(
      bytes(
        box(
          'udta',
          box(
            'meta',
            fullBox('hdlr', 0, 0, u32(0), fourcc('mdta'), zeros(12), u8(0)), // hdlr right after the header: QuickTime's form
            fullBox(
              'keys',
              0,
              0,
              u32(1), // entry_count
              u32(8 + 23), // key_size
              fourcc('mdta'), // key_namespace
              fourcc('com.apple.quicktime.mak'), // key_value
            ),
            box(
              'ilst',
              [...u32(8 + 8 + 8 + 5), 0, 0, 0, 1], // item 1 (the first key), size then type 0x00000001
              box('data', u8(0), u24(1), u32(0), fourcc('Apple')), // type set, well-known type 1 (UTF-8), locale, value
            ),
          ),
        ),
      ),
    );
    const meta = findBox(udta!, 'meta')!;
    expect(meta.version).toBeUndefined();
    expect(findBox(meta, 'keys')!.entries).toEqual([
      { keyNamespace: 'mdta', keyValue: 'com.apple.quicktime.mak' },
    ]);
    expect(findBox(meta, 'ilst')!.children![0]!.children![0]).toMatchObject({
      type: 'data',
      dataType: 1,
      text: 'Apple',
    });
  });

  it('an ISO AudioSampleEntryV1 in a version 1 stsd has no QuickTime fields', () => {
    const [stsd] = parseBoxes(
      bytes(
        fullBox(
          'stsd',
          1,
          0,
          u32(1), // entry_count
          box(
            'mp4a',
            zeros(6), // reserved
            u16(1), // data_reference_index
            u16(1), // entry_version: 1
            zeros(6), // reserved
            u16(2), // channelcount
            u16(16), // samplesize
            u16(0), // pre_defined
            u16(0), // reserved
            u32(1 << 16), // samplerate: 1 (the real rate is in an srat box)
            box('srat', u32(0), u32(96000)), // (a child box, not QuickTime's 16 bytes)
          ),
        ),
      ),
    );
    const mp4a = stsd!.children![0]!;
    expect(mp4a).toMatchObject({ qtVersion: 1, channelCount: 2, sampleRate: 1 });
    expect(mp4a).not.toHaveProperty('qtV1SamplesPerPacket');
    expect(mp4a.children!.map((b) => b.type)).toEqual(['srat']);
  });

  it('a PIFF tfxd uuid box (Smooth Streaming)', () => {
    const tfxd = one(
      u32(8 + 16 + 4 + 16), // size
      fourcc('uuid'), // type
      [0x6d, 0x1d, 0x9b, 0x05, 0x42, 0xd5, 0x44, 0xe6, 0x80, 0xe2, 0x14, 0x1d, 0xaf, 0xf7, 0x57, 0xb2], // usertype
      u8(1), // version
      u24(0), // flags
      u64(123456789), // fragment_absolute_time
      u64(20000000), // fragment_duration
    );
    expect(tfxd).toMatchObject({
      type: 'uuid',
      headerSize: 24,
      fragmentAbsoluteTime: 123456789,
      fragmentDuration: 20000000,
    });
  });
});

describe('listFragmentSamples: data offsets (8.8.7.1, 8.8.8.3)', () => {
  it("a second traf without a base starts where the first one's data ends; a trun without data_offset follows the previous run", () => {
    const traf = (trackId: number, runs: number[][]) =>
      box(
        'traf',
        fullBox(
          'tfhd',
          0,
          0x000018, // default-sample-duration-present, default-sample-size-present
          u32(trackId), // track_ID
          u32(100), // default_sample_duration
          u32(10), // default_sample_size
        ),
        ...runs,
      );
    const [moof] = parseBoxes(
      bytes(
        box(
          'moof',
          fullBox('mfhd', 0, 0, u32(1)),
          traf(1, [
            fullBox('trun', 0, 0x000001, u32(2), u32(500)), // sample_count 2, data_offset 500 from the moof
            fullBox('trun', 0, 0x000000, u32(1)), // sample_count 1, no data_offset: right after the first run
          ]),
          traf(2, [fullBox('trun', 0, 0x000200, u32(2), u32(7), u32(9))]), // sizes 7 and 9, no data_offset
        ),
      ),
      { offset: 1000 },
    );
    const samples = [...listFragmentSamples(moof!)].map((s) => [s.trackId, s.offset, s.size, s.dts]);
    expect(samples).toEqual([
      [1, 1500, 10, 0],
      [1, 1510, 10, 100],
      [1, 1520, 10, 200],
      [2, 1530, 7, 0], // the end of track 1's data
      [2, 1537, 9, 100],
    ]);
  });
});
