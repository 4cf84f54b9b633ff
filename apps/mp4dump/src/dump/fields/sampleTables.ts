/**
 * Sample tables (ISO/IEC 14496-12 8.5-8.9): stsd, stts, ctts, cslg, stss,
 * stps, sdtp, stsc, stsz, stz2, stco, co64, sgpd, sbgp, subs (Bento4's
 * Ap4StsdAtom.cpp, Ap4SttsAtom.cpp, Ap4CttsAtom.cpp, Ap4StssAtom.cpp,
 * Ap4StscAtom.cpp, Ap4StszAtom.cpp, Ap4Stz2Atom.cpp, Ap4StcoAtom.cpp,
 * Ap4Co64Atom.cpp, Ap4SgpdAtom.cpp, Ap4SbgpAtom.cpp). Verbosity 1 shows
 * stts, stsc, stco and co64 entries; 2 adds ctts, stsz, stz2 and sbgp.
 */
import type {
  ChunkOffsetBox,
  CompositionOffsetBox,
  CompositionToDecodeBox,
  SampleDependencyTypeBox,
  SampleDescriptionBox,
  SampleGroupDescriptionBox,
  SampleSizeBox,
  SampleToChunkBox,
  SampleToGroupBox,
  SubSampleInformationBox,
  SyncSampleBox,
  TimeToSampleBox,
} from '@rec/fmp4-boxes';
import type { Inspector } from '../inspect/Inspector.js';
import { type FormatTable, NOT_IN_BENTO4 } from './BoxFormat.js';

function list(out: Inspector, name: string, values: ArrayLike<number | bigint>): void {
  out.startArray(name);
  for (let i = 0; i < values.length; i++) out.int(null, values[i]!);
  out.endArray();
}

/**
 * The shape Bento4 gives a table held as columns (stts, ctts, stsc, sdtp,
 * sbgp): the row count, then from `verbosity` on an `entries` array with
 * one compact line per row (`sample_count = 1, sample_duration = 512`),
 * whose fields `row(i)` writes, rows in order.
 */
function rowTable(
  out: Inspector,
  count: number,
  verbosity: number,
  row: (i: number) => void,
  countName = 'entry_count',
): void {
  out.int(countName, count);
  if (out.verbosity < verbosity) return;
  out.startArray('entries');
  for (let i = 0; i < count; i++) {
    out.startObject(null, true);
    row(i);
    out.endObject();
  }
  out.endArray();
}

function syncSamples(box: SyncSampleBox, out: Inspector): void {
  out.int('entry_count', box.entries.length);
  // Bento4 never prints stss entries; the default mode does from verbosity 1, as the other short tables.
  if (out.all && out.verbosity >= 1) list(out, 'entries', box.entries);
}

/** How many of an stsd's entries Bento4 reads: entry_count of them at most (it skips the rest of the box). */
export const bento4StsdEntries = (box: SampleDescriptionBox): number =>
  Math.min(box.entryCount, box.children?.length ?? 0);

export const sampleTableFormats: FormatTable = {
  stsd: {
    fields(box: SampleDescriptionBox, out) {
      // Bento4 counts the entries it read; the default mode prints the field.
      out.int('entry_count', out.all ? box.entryCount : bento4StsdEntries(box));
    },
  },
  stts: {
    fields(box: TimeToSampleBox, out) {
      rowTable(out, box.sampleCounts.length, 1, (i) => {
        out.int('sample_count', box.sampleCounts[i]!);
        out.int('sample_duration', box.sampleDurations[i]!);
      });
    },
  },
  ctts: {
    fields(box: CompositionOffsetBox, out) {
      rowTable(out, box.sampleCounts.length, 2, (i) => {
        out.int('count', box.sampleCounts[i]!);
        out.int('offset', box.sampleOffsets[i]!);
      });
    },
  },
  cslg: {
    bento4: NOT_IN_BENTO4,
    fields(box: CompositionToDecodeBox, out) {
      out.int('composition_to_dts_shift', box.compositionToDtsShift);
      out.int('least_decode_to_display_delta', box.leastDecodeToDisplayDelta);
      out.int('greatest_decode_to_display_delta', box.greatestDecodeToDisplayDelta);
      out.int('composition_start_time', box.compositionStartTime);
      out.int('composition_end_time', box.compositionEndTime);
    },
  },
  stss: { fields: syncSamples },
  stps: { bento4: NOT_IN_BENTO4, fields: syncSamples },
  sdtp: {
    bento4: NOT_IN_BENTO4,
    fields(box: SampleDependencyTypeBox, out) {
      // ISO/IEC 14496-12 8.6.4: is_leading(2) sample_depends_on(2) sample_is_depended_on(2) sample_has_redundancy(2).
      const { entries } = box;
      rowTable(
        out,
        entries.length,
        2,
        (i) => {
          out.int('is_leading', entries[i]! >> 6);
          out.int('depends_on', (entries[i]! >> 4) & 3);
          out.int('is_depended_on', (entries[i]! >> 2) & 3);
          out.int('has_redundancy', entries[i]! & 3);
        },
        'sample_count',
      );
    },
  },
  stsc: {
    fields(box: SampleToChunkBox, out) {
      const count = box.firstChunks.length;
      // Bento4 shows each run's first sample and chunk count (0 for the last run, which lasts to the end).
      let firstSample = 1;
      rowTable(out, count, 1, (i) => {
        const firstChunk = box.firstChunks[i]!;
        const chunks = i + 1 < count ? (box.firstChunks[i + 1]! - firstChunk) >>> 0 : 0;
        out.int('first_chunk', firstChunk);
        out.int('first_sample', firstSample);
        out.int('chunk_count', chunks);
        out.int('samples_per_chunk', box.samplesPerChunk[i]!);
        out.int('sample_desc_index', box.sampleDescriptionIndexes[i]!);
        firstSample = (firstSample + chunks * box.samplesPerChunk[i]!) >>> 0;
      });
    },
  },
  stsz: {
    fields(box: SampleSizeBox, out) {
      out.int('sample_size', box.sampleSize);
      out.int('sample_count', box.sampleCount);
      if (out.verbosity >= 2) list(out, 'entries', box.entries);
    },
  },
  stz2: {
    fields(box: SampleSizeBox, out) {
      out.int('field_size', box.fieldSize ?? 0);
      out.int('sample_count', box.entries.length);
      if (out.verbosity >= 2) list(out, 'entries', box.entries);
    },
  },
  stco: {
    fields(box: ChunkOffsetBox, out) {
      out.int('entry_count', box.entries.length);
      if (out.verbosity >= 1) list(out, 'entries', box.entries);
    },
  },
  co64: {
    fields(box: ChunkOffsetBox, out) {
      out.int('entry_count', box.entries.length);
      if (out.verbosity >= 1) list(out, 'entries', box.entries);
    },
  },
  sgpd: {
    // Bento4 reads versions 0 and 1 only.
    bento4: (box: SampleGroupDescriptionBox) => box.version <= 1,
    fields(box: SampleGroupDescriptionBox, out) {
      out.str('grouping_type', box.groupingType);
      if (box.version >= 1) out.int('default_length', box.defaultLength ?? 0);
      if (out.all && box.defaultSampleDescriptionIndex !== undefined) {
        out.int('default_sample_description_index', box.defaultSampleDescriptionIndex);
      }
      // Bento4 prints the entries at every verbosity; ours are bounded by the box (Bento4's are not).
      out.int('entry_count', box.entryCount);
      out.startArray('entries');
      for (const entry of box.entries) out.bytes(null, entry);
      out.endArray();
      if (out.all && box.rollDistances) {
        out.startArray('roll_distances');
        for (const distance of box.rollDistances) out.int(null, distance);
        out.endArray();
      }
    },
  },
  sbgp: {
    fields(box: SampleToGroupBox, out) {
      out.str('grouping_type', box.groupingType);
      if (box.version >= 1) out.int('grouping_type_parameter', box.groupingTypeParameter ?? 0);
      rowTable(out, box.sampleCounts.length, 2, (i) => {
        out.int('sample_count', box.sampleCounts[i]!);
        out.int('group_description_index', box.groupDescriptionIndexes[i]!);
      });
    },
  },
  subs: {
    bento4: NOT_IN_BENTO4,
    fields(box: SubSampleInformationBox, out) {
      out.int('entry_count', box.entries.length);
      if (out.verbosity >= 2) {
        out.startArray('entries');
        for (const entry of box.entries) {
          out.startObject(null, false);
          out.int('sample_delta', entry.sampleDelta);
          out.int('subsample_count', entry.subsamples.length);
          out.startArray('subsamples');
          for (const sub of entry.subsamples) {
            out.startObject(null, true);
            out.int('size', sub.subsampleSize);
            out.int('priority', sub.subsamplePriority);
            out.int('discardable', sub.discardable);
            out.int('codec_specific_parameters', sub.codecSpecificParameters);
            out.endObject();
          }
          out.endArray();
          out.endObject();
        }
        out.endArray();
      }
    },
  },
};
