/**
 * 64-bit fields above 2^53 - 1, where a double loses the low bits: each is
 * decoded to its exact value (a bigint) and written back to the bytes it was
 * read from. Found by `pnpm bench reliability --parsers mp4 --seed 11`
 * (inputs 822 and 10454: a saio and a co64 offset written back one off).
 */

import { box, bytes, fullBox, u8, u16, u32, u64, zeros } from '@rec/test-support';
import { describe, expect, it } from 'vitest';
import {
  BoxParseError,
  listTrackSamples,
  parseBoxes,
  type SampleAuxiliaryInformationOffsetsBox,
} from '../src/index.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

/** 2^53 + 1: the first integer a double cannot hold (it rounds to 2^53). */
const ODD = 2n ** 53n + 1n;
/** All 64 bits set ("unknown" durations, or damage). */
const ALL = 2n ** 64n - 1n;
const IDENTITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000].flatMap(u32); // matrix

const one = (...fields: number[][]) => {
  const input = bytes(...fields);
  expectRoundTrip(input);
  return parseBoxes(input)[0]!;
};

describe('64-bit fields above 2^53', () => {
  it('co64 chunk_offset (8.7.5): exact, and the sample listing refuses it', () => {
    const co64 = one(
      fullBox(
        'co64',
        0,
        0,
        u32(3), // entry_count
        u64(40), // chunk_offset
        u64(ODD), // chunk_offset
        u64(ALL), // chunk_offset
      ),
    );
    expect(co64).toMatchObject({ entries: new BigUint64Array([40n, ODD, ALL]) });
    // Below 2^53 the column stays numbers.
    const small = one(fullBox('co64', 0, 0, u32(2), u64(2 ** 53 - 1), u64(8)));
    expect(small).toMatchObject({ entries: new Float64Array([2 ** 53 - 1, 8]) });

    // A trak whose chunk is past 2^53: BOX_INVALID, not a sample at a rounded offset.
    const trak = parseBoxes(
      bytes(
        box(
          'trak',
          box(
            'mdia',
            box(
              'minf',
              box(
                'stbl',
                fullBox('stts', 0, 0, u32(1), u32(1), u32(1000)), // entry_count, sample_count, sample_delta
                fullBox('stsc', 0, 0, u32(1), u32(1), u32(1), u32(1)), // entry_count, first_chunk, samples_per_chunk, sample_description_index
                fullBox('stsz', 0, 0, u32(0), u32(1), u32(100)), // sample_size, sample_count, entry_size
                fullBox('co64', 0, 0, u32(1), u64(ODD)), // entry_count, chunk_offset
              ),
            ),
          ),
        ),
      ),
    )[0]!;
    expect(() => [...listTrackSamples(trak)]).toThrow(BoxParseError);
  });

  it('saio version 1 offset (8.7.9)', () => {
    const saio = one(
      fullBox(
        'saio',
        1,
        1,
        [...'cenc'].map((c) => c.charCodeAt(0)), // aux_info_type
        u32(0), // aux_info_type_parameter
        u32(2), // entry_count
        u64(16), // offset
        u64(ODD), // offset
      ),
    ) as SampleAuxiliaryInformationOffsetsBox;
    expect(saio.entries).toEqual(new BigUint64Array([16n, ODD]));
  });

  it('mvhd, tkhd and mdhd version 1 times and durations (8.2.2, 8.3.2, 8.4.2)', () => {
    const mvhd = one(
      fullBox(
        'mvhd',
        1,
        0,
        u64(ODD), // creation_time
        u64(ODD + 2n), // modification_time
        u32(1000), // timescale
        u64(ALL), // duration
        u32(0x10000), // rate
        u16(0x100), // volume
        zeros(10), // reserved
        IDENTITY,
        zeros(24), // pre_defined
        u32(2), // next_track_ID
      ),
    );
    expect(mvhd).toMatchObject({ creationTime: ODD, modificationTime: ODD + 2n, duration: ALL });
    const tkhd = one(
      fullBox(
        'tkhd',
        1,
        3,
        u64(ODD), // creation_time
        u64(ODD), // modification_time
        u32(1), // track_ID
        u32(0), // reserved
        u64(ODD + 4n), // duration
        zeros(8), // reserved
        u16(0), // layer
        u16(0), // alternate_group
        u16(0), // volume
        u16(0), // reserved
        IDENTITY,
        u32(320 << 16), // width
        u32(240 << 16), // height
      ),
    );
    expect(tkhd).toMatchObject({ creationTime: ODD, duration: ODD + 4n });
    const mdhd = one(
      fullBox(
        'mdhd',
        1,
        0,
        u64(ODD), // creation_time
        u64(ODD), // modification_time
        u32(48000), // timescale
        u64(ODD + 6n), // duration
        u16(0x55c4), // pad, language 'und'
        u16(0), // pre_defined
      ),
    );
    expect(mdhd).toMatchObject({ timeScale: 48000, duration: ODD + 6n });
  });

  it('elst version 1 segment_duration and media_time (8.6.6)', () => {
    const elst = one(
      fullBox(
        'elst',
        1,
        0,
        u32(2), // entry_count
        u64(ODD), // segment_duration
        u64(2n ** 63n - 1n), // media_time: the largest int(64)
        u16(1), // media_rate_integer
        u16(0), // media_rate_fraction
        u64(ALL), // segment_duration
        u64(-(2n ** 53n) - 1n), // media_time, two's complement
        u16(1), // media_rate_integer
        u16(0), // media_rate_fraction
      ),
    );
    expect(elst).toMatchObject({
      entries: [
        { segmentDuration: ODD, mediaTime: 2n ** 63n - 1n },
        { segmentDuration: ALL, mediaTime: -(2n ** 53n) - 1n },
      ],
    });
  });

  it('mehd, tfdt version 1 and tfhd base_data_offset (8.8.2, 8.8.12, 8.8.7)', () => {
    expect(one(fullBox('mehd', 1, 0, u64(ODD)))).toMatchObject({ duration: ODD }); // fragment_duration
    expect(one(fullBox('tfdt', 1, 0, u64(ODD)))).toMatchObject({ baseMediaDecodeTime: ODD }); // baseMediaDecodeTime
    const tfhd = one(
      fullBox(
        'tfhd',
        0,
        1, // base-data-offset-present
        u32(1), // track_ID
        u64(ODD), // base_data_offset
      ),
    );
    expect(tfhd).toMatchObject({ trackId: 1, baseDataOffset: ODD });
  });

  it('sidx version 1 earliest_presentation_time and first_offset (8.16.3)', () => {
    const sidx = one(
      fullBox(
        'sidx',
        1,
        0,
        u32(1), // reference_ID
        u32(90000), // timescale
        u64(ODD), // earliest_presentation_time
        u64(ALL), // first_offset
        u16(0), // reserved
        u16(1), // reference_count
        u32(1000), // reference_type (0), referenced_size
        u32(90000), // subsegment_duration
        u32(0x90000000), // starts_with_SAP (1), SAP_type (1), SAP_delta_time
      ),
    );
    expect(sidx).toMatchObject({ earliestPresentationTime: ODD, firstOffset: ALL });
  });

  it('tfra version 1 time and moof_offset (8.8.10), emsg v1 presentation_time, prft (23009-1, 8.16.5)', () => {
    const tfra = one(
      fullBox(
        'tfra',
        1,
        0,
        u32(1), // track_ID
        u32(0), // reserved, length_size_of_traf_num, _trun_num, _sample_num (1 byte each)
        u32(1), // number_of_entry
        u64(ODD), // time
        u64(ODD + 8n), // moof_offset
        u8(1, 1, 1), // traf_number, trun_number, sample_number
      ),
    );
    expect(tfra).toMatchObject({ entries: [{ time: ODD, moofOffset: ODD + 8n }] });
    const emsg = one(
      fullBox(
        'emsg',
        1,
        0,
        u32(1000), // timescale
        u64(ODD), // presentation_time
        u32(0), // event_duration
        u32(1), // id
        u8(0), // scheme_id_uri ""
        u8(0), // value ""
      ),
    );
    expect(emsg).toMatchObject({ presentationTime: ODD });
    const prft = one(
      fullBox(
        'prft',
        1,
        0,
        u32(1), // reference_track_ID
        u64(ALL), // ntp_timestamp
        u64(ODD), // media_time
      ),
    );
    expect(prft).toMatchObject({ ntpTimestamp: ALL, mediaTime: ODD });
  });

  it('a largesize above 2^53 is BOX_INVALID (no file is that long)', () => {
    const input = bytes(
      u32(1),
      [...'free'].map((c) => c.charCodeAt(0)),
      u64(ODD),
    );
    expect(() => parseBoxes(input)).toThrow(expect.objectContaining({ code: 'BOX_INVALID' }));
  });
});
