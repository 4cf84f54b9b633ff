/**
 * Field values against Bento4 1.6.0's JSON dumps of the six fixtures
 * (golden values from another tool, never from our own output): the same
 * tree (names, header sizes, sizes), and for each box every field Bento4
 * prints, mapped from its label to ours. Where Bento4 prints a value
 * wrongly (the tkhd matrix's 2.30 entries as 16.16), the mapping says so.
 */
import { openFileSource } from '@rec/core/node';
import { describe, expect, it } from 'vitest';
import { type Box, BoxParseError, readBoxes } from '../src/index.js';
import { type Bento4Box, bento4Json, type Fixture, fixturePath, fixtures } from './helpers/bento4.js';

// biome-ignore lint/suspicious/noExplicitAny: the decoded boxes are checked field by field against untyped JSON
type AnyBox = Box & Record<string, any>;
type Row = Record<string, unknown>;
/** Bento4 label -> how our box gives that value. A label may repeat (one value per occurrence). */
type Mapping = Record<string, (box: AnyBox) => unknown>;

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const rows = (entries: unknown) =>
  (entries as [string, unknown][][]).map((row) => Object.fromEntries(row) as Row);
const AVC_PROFILES: Record<number, string> = { 66: 'Baseline', 77: 'Main', 88: 'Extended', 100: 'High' };
const ms = (box: AnyBox) => Math.floor((Number(box.duration) * 1000) / box.timeScale);

/** For each box type, Bento4's labels. `entries` maps to the rows Bento4 prints at verbosity 2. */
const mappings: Record<string, Mapping> = {
  ftyp: {
    major_brand: (b) => b.majorBrand,
    minor_version: (b) => b.minorVersion,
    compatible_brand: (b) => b.compatibleBrands,
  },
  mvhd: { timescale: (b) => b.timeScale, duration: (b) => b.duration, 'duration(ms)': ms },
  tkhd: {
    enabled: (b) => b.flags & 1,
    id: (b) => b.trackId,
    duration: (b) => b.duration,
    volume: (b) => b.volume * 256,
    layer: (b) => b.layer,
    alternate_group: (b) => b.alternateGroup,
    // Bento4 prints every matrix entry as 16.16; u, v and w are 2.30 (w = 1.0 shows as 16384).
    ...Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [
        `matrix_${i}`,
        (b: AnyBox) => b.matrix[i] * (i % 3 === 2 ? 16384 : 1),
      ]),
    ),
    width: (b) => b.width,
    height: (b) => b.height,
  },
  elst: {
    entry_count: (b) => b.entries.length,
    'entry/segment duration': (b) => b.entries.map((e: Row) => e.segmentDuration),
    'entry/media time': (b) => b.entries.map((e: Row) => e.mediaTime),
    'entry/media rate': (b) => b.entries.map((e: Row) => e.mediaRate),
  },
  mdhd: {
    timescale: (b) => b.timeScale,
    duration: (b) => b.duration,
    'duration(ms)': ms,
    language: (b) => b.language,
  },
  hdlr: { handler_type: (b) => b.handlerType, handler_name: (b) => b.handlerName },
  vmhd: {
    graphics_mode: (b) => b.graphicsMode,
    op_color: (b) => b.opColor.map((c: number) => c.toString(16).padStart(4, '0')).join(','),
  },
  smhd: { balance: (b) => b.balance },
  'url ': { location: (b) => (b.flags & 1 ? '[local to file]' : b.location) },
  stsd: { entry_count: (b) => b.entryCount },
  avc1: {
    data_reference_index: (b) => b.dataReferenceIndex,
    width: (b) => b.width,
    height: (b) => b.height,
    compressor: (b) => b.compressorName,
  },
  avcC: {
    'Configuration Version': (b) => b.configurationVersion,
    Profile: (b) => AVC_PROFILES[b.profile],
    'Profile Compatibility': (b) => b.profileCompatibility,
    Level: (b) => b.level,
    'NALU Length Size': (b) => b.naluLengthSize,
    'Sequence Parameter': (b) => b.sequenceParameters.map((p: Uint8Array) => `[${hex(p)}]`),
    'Picture Parameter': (b) => b.pictureParameters.map((p: Uint8Array) => `[${hex(p)}]`),
  },
  mp4a: {
    data_reference_index: (b) => b.dataReferenceIndex,
    channel_count: (b) => b.channelCount,
    sample_size: (b) => b.sampleSize,
    sample_rate: (b) => b.sampleRate,
  },
  stts: {
    entry_count: (b) => b.sampleCounts.length,
    entries: (b) =>
      [...b.sampleCounts].map((n, i) => ({ sample_count: n, sample_duration: b.sampleDurations[i] })),
  },
  ctts: {
    entry_count: (b) => b.sampleCounts.length,
    entries: (b) => [...b.sampleCounts].map((n, i) => ({ count: n, offset: b.sampleOffsets[i] })),
  },
  stss: { entry_count: (b) => b.entries.length },
  stsc: {
    entry_count: (b) => b.firstChunks.length,
    entries: (b) => {
      // first_sample and chunk_count are Bento4's, computed from the runs (the last run's chunk_count is 0).
      let first = 1;
      return [...b.firstChunks].map((chunk: number, i) => {
        const next = b.firstChunks[i + 1];
        const chunks = next === undefined ? 0 : next - chunk;
        const row = {
          first_chunk: chunk,
          first_sample: first,
          chunk_count: chunks,
          samples_per_chunk: b.samplesPerChunk[i],
          sample_desc_index: b.sampleDescriptionIndexes[i],
        };
        first += chunks * b.samplesPerChunk[i];
        return row;
      });
    },
  },
  stsz: {
    sample_size: (b) => b.sampleSize,
    sample_count: (b) => b.sampleCount,
    entries: (b) => [...b.entries],
  },
  stco: { entry_count: (b) => b.entries.length, entries: (b) => [...b.entries] },
  sgpd: {
    grouping_type: (b) => b.groupingType,
    default_length: (b) => b.defaultLength,
    entry_count: (b) => b.entries.length,
    entries: (b) => b.entries.map((e: Uint8Array) => `[${hex(e)}]`),
  },
  sbgp: {
    grouping_type: (b) => b.groupingType,
    entry_count: (b) => b.sampleCounts.length,
    entries: (b) =>
      [...b.sampleCounts].map((n, i) => ({
        sample_count: n,
        group_description_index: b.groupDescriptionIndexes[i],
      })),
  },
  trex: {
    'track id': (b) => b.trackId,
    'default sample description index': (b) => b.defaultSampleDescriptionIndex,
    'default sample duration': (b) => b.defaultSampleDuration,
    'default sample size': (b) => b.defaultSampleSize,
    'default sample flags': (b) => b.defaultSampleFlags,
  },
  mfhd: { 'sequence number': (b) => b.sequenceNumber },
  tfhd: {
    'track ID': (b) => b.trackId,
    'base data offset': (b) => b.baseDataOffset,
    'sample description index': (b) => b.sampleDescriptionIndex,
    'default sample duration': (b) => b.defaultSampleDuration,
    'default sample size': (b) => b.defaultSampleSize,
    'default sample flags': (b) => b.defaultSampleFlags,
  },
  tfdt: { 'base media decode time': (b) => b.baseMediaDecodeTime },
  trun: {
    'sample count': (b) => b.sampleCount,
    'data offset': (b) => b.dataOffset,
    'first sample flags': (b) => b.firstSampleFlags,
    entries: (b) =>
      b.entries.map((e: Row) =>
        Object.fromEntries(
          [
            ['sample_duration', e.sampleDuration],
            ['sample_size', e.sampleSize],
            ['sample_flags', e.sampleFlags],
            ['sample_composition_time_offset', e.sampleCompositionTimeOffset],
          ].filter(([, v]) => v !== undefined),
        ),
      ),
  },
  tfra: {
    track_ID: (b) => b.trackId,
    length_size_of_traf_num: (b) => b.lengthSizeOfTrafNumber,
    length_size_of_trun_num: (b) => b.lengthSizeOfTrunNumber,
    length_size_of_sample_num: (b) => b.lengthSizeOfSampleNumber,
    entries: (b) =>
      b.entries.map((e: Row) => ({
        time: e.time,
        moof_offset: e.moofOffset,
        traf_number: e.trafNumber,
        trun_number: e.trunNumber,
        sample_number: e.sampleNumber,
      })),
  },
  mfro: { mfra_size: (b) => b.mfraSize },
  sidx: {
    reference_ID: (b) => b.referenceId,
    timescale: (b) => b.timeScale,
    earliest_presentation_time: (b) => b.earliestPresentationTime,
    first_offset: (b) => b.firstOffset,
    entries: (b) =>
      b.references.map((r: Row) => ({
        reference_type: r.referenceType,
        referenced_size: r.referencedSize,
        subsegment_duration: r.subsegmentDuration,
        starts_with_SAP: r.startsWithSap ? 1 : 0,
        SAP_type: r.sapType,
        SAP_delta_time: r.sapDeltaTime,
      })),
  },
};
mappings.styp = mappings.ftyp!;
mappings.Opus = mappings.mp4a!;

/** esds holds descriptors, which Bento4 shows as its children. */
const descriptorMappings: Record<string, Mapping> = {
  ESDescriptor: { es_id: (d) => d.esId, stream_priority: (d) => d.streamPriority },
  DecoderConfig: {
    stream_type: (d) => d.streamType,
    object_type: (d) => d.objectTypeIndication,
    up_stream: (d) => (d.upStream ? 1 : 0),
    buffer_size: (d) => d.bufferSize,
    max_bitrate: (d) => d.maxBitrate,
    avg_bitrate: (d) => d.averageBitrate,
    DecoderSpecificInfo: (d) => `${hex(d.subDescriptors.find((s: Row) => s.tag === 5).info)} `,
  },
};
const descriptorName = (tag: number) =>
  tag === 3
    ? 'ESDescriptor'
    : tag === 4
      ? 'DecoderConfig'
      : `Descriptor:${tag.toString(16).padStart(2, '0')}`;

const toNumber = (value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

/** The value of `label` in Bento4's output (several when it repeats), normalized for comparison. */
function bento4Values(fields: [string, unknown][], label: string): unknown[] {
  return fields
    .filter(([key]) => key === label)
    .map(([, value]) =>
      label === 'entries' && Array.isArray(value) && Array.isArray(value[0]) ? rows(value) : value,
    );
}

function compareFields(box: AnyBox, bento: Bento4Box, mapping: Mapping, where: string): number {
  let checked = 0;
  const labels = new Set(bento.fields.map(([key]) => key));
  for (const label of labels) {
    const values = bento4Values(bento.fields, label);
    if (label === 'version') {
      expect(box.version, `${where} version`).toBe(values[0]);
    } else if (label === 'flags') {
      expect(box.flags, `${where} flags`).toBe(values[0]);
    } else {
      const ours = mapping[label];
      expect(ours, `${where}: no mapping for Bento4's "${label}"`).toBeDefined();
      const value = ours!(box);
      // `entries` is one table; any other label repeats once per value (compatible_brand, Sequence Parameter).
      if (label === 'entries') expect(value, `${where} ${label}`).toEqual(values[0]);
      else
        expect((Array.isArray(value) ? value : [value]).map(toNumber), `${where} ${label}`).toEqual(values);
    }
    checked++;
  }
  return checked;
}

/** Compares a tree with Bento4's; returns how many fields were checked. */
function compareTree(boxes: readonly AnyBox[], bento: readonly Bento4Box[]): number {
  expect(boxes.map((b) => b.type)).toEqual(bento.map((b) => b.name));
  let checked = 0;
  boxes.forEach((box, i) => {
    const expected = bento[i]!;
    const where = `${box.path} @ ${box.offset}`;
    expect(box.size, `${where} size`).toBe(expected.size);
    expect(box.headerSize + ('flags' in box ? 4 : 0), `${where} header size`).toBe(expected.headerSize);
    if (box.type === 'esds') {
      checked += compareDescriptors(box.descriptors, expected.children, where);
      return;
    }
    checked += compareFields(box, expected, mappings[box.type] ?? {}, where);
    checked += compareTree((box.children ?? []) as AnyBox[], expected.children);
  });
  return checked;
}

function compareDescriptors(descriptors: AnyBox[], bento: readonly Bento4Box[], where: string): number {
  expect(descriptors.map((d) => descriptorName(d.tag))).toEqual(bento.map((b) => b.name));
  let checked = 0;
  descriptors.forEach((descriptor, i) => {
    const expected = bento[i]!;
    expect(descriptor.headerSize).toBe(expected.headerSize);
    expect(descriptor.headerSize + descriptor.payloadSize).toBe(expected.size);
    checked += compareFields(
      descriptor,
      expected,
      descriptorMappings[expected.name] ?? {},
      `${where} ${expected.name}`,
    );
    // Bento4 shows DecoderSpecificInfo as a field of DecoderConfig, not as a child.
    const children = (descriptor.subDescriptors ?? []).filter((d: Row) => d.tag !== 5);
    checked += compareDescriptors(children, expected.children, where);
  });
  return checked;
}

async function readAll(name: Fixture): Promise<{ boxes: AnyBox[]; error?: unknown }> {
  const source = await openFileSource(fixturePath(name));
  const boxes: AnyBox[] = [];
  try {
    for await (const box of readBoxes(source)) if (box.depth === 0) boxes.push(box as AnyBox);
    return { boxes };
  } catch (error) {
    return { boxes, error };
  } finally {
    await source.close();
  }
}

describe('every fixture against Bento4 1.6.0 --format json --verbosity 2', () => {
  for (const name of fixtures.filter((f) => f !== '25-truncated.mp4')) {
    it(`${name}: same tree, same field values`, async () => {
      const { boxes, error } = await readAll(name);
      expect(error).toBeUndefined();
      const checked = compareTree(boxes, bento4Json(name));
      expect(checked).toBeGreaterThan(10);
    });
  }

  it('25-truncated.mp4: ftyp and free as Bento4 prints them, then BOX_TRUNCATED at the cut mdat', async () => {
    const { boxes, error } = await readAll('25-truncated.mp4');
    compareTree(boxes, bento4Json('25-truncated.mp4'));
    expect(error).toBeInstanceOf(BoxParseError);
    expect(error).toMatchObject({ code: 'BOX_TRUNCATED', offset: 40, path: 'mdat' });
    expect((error as Error).message).toBe('mdat @ 0x28: box of 244564 bytes, 99960 left');
  });
});
