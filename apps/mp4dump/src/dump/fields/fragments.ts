/**
 * Fragments and segments (ISO/IEC 14496-12 8.8, 8.16; 23009-1 5.10.3.3):
 * mfhd, tfhd, tfdt, trun, sidx, ssix, emsg, prft, tfra, mfro (Bento4's
 * Ap4MfhdAtom.cpp, Ap4TfhdAtom.cpp, Ap4TfdtAtom.cpp, Ap4TrunAtom.cpp,
 * Ap4SidxAtom.cpp, Ap4TfraAtom.cpp, Ap4MfroAtom.cpp).
 */
import {
  type EventMessageBox,
  type MovieFragmentHeaderBox,
  type MovieFragmentRandomAccessOffsetBox,
  type ProducerReferenceTimeBox,
  type SegmentIndexBox,
  type SubsegmentIndexBox,
  type TrackFragmentBaseMediaDecodeTimeBox,
  type TrackFragmentHeaderBox,
  TrackFragmentHeaderFlags,
  type TrackFragmentRandomAccessBox,
  type TrackRunBox,
  type TrackRunEntry,
  TrackRunFlags,
} from '@rec/fmp4-boxes';
import { type FormatTable, NOT_IN_BENTO4 } from './BoxFormat.js';

/** Entries listed for a run whose samples have no fields of their own (Bento4 prints an empty line each). */
const MAX_EMPTY_RUN_ENTRIES = 4096;

/** The entry of a run whose samples have no fields of their own: every field shows as 0. */
const NO_FIELDS: TrackRunEntry = Object.freeze({});

/**
 * How many entries a run lists: its entries; for a run without per-sample
 * fields, which the reader does not list, as many empty ones (NO_FIELDS)
 * as its sample_count says, at most MAX_EMPTY_RUN_ENTRIES (a damaged count
 * in a 20-byte box must not print billions of lines). Counted, not built:
 * an array of empty objects per trun (`Array.from`) was a visible share of
 * a dump of one-sample fragments.
 */
function runEntryCount(box: TrackRunBox): number {
  if (box.entries.length > 0 || box.sampleCount === 0) return box.entries.length;
  return Math.min(box.sampleCount, MAX_EMPTY_RUN_ENTRIES);
}

export const fragmentFormats: FormatTable = {
  moof: {},
  traf: {},
  mfra: {},
  mfhd: {
    fields(box: MovieFragmentHeaderBox, out) {
      out.int('sequence number', box.sequenceNumber);
    },
  },
  tfhd: {
    fields(box: TrackFragmentHeaderBox, out) {
      const f = box.flags;
      out.int('track ID', box.trackId);
      if (f & TrackFragmentHeaderFlags.BaseDataOffsetPresent)
        out.int('base data offset', box.baseDataOffset ?? 0);
      if (f & TrackFragmentHeaderFlags.SampleDescriptionIndexPresent) {
        out.int('sample description index', box.sampleDescriptionIndex ?? 0);
      }
      if (f & TrackFragmentHeaderFlags.DefaultSampleDurationPresent) {
        out.int('default sample duration', box.defaultSampleDuration ?? 0);
      }
      if (f & TrackFragmentHeaderFlags.DefaultSampleSizePresent) {
        out.int('default sample size', box.defaultSampleSize ?? 0);
      }
      if (f & TrackFragmentHeaderFlags.DefaultSampleFlagsPresent) {
        out.hex('default sample flags', box.defaultSampleFlags ?? 0);
      }
    },
  },
  tfdt: {
    fields(box: TrackFragmentBaseMediaDecodeTimeBox, out) {
      out.int('base media decode time', box.baseMediaDecodeTime);
    },
  },
  trun: {
    fields(box: TrackRunBox, out) {
      const f = box.flags;
      out.int('sample count', box.sampleCount);
      if (f & TrackRunFlags.DataOffsetPresent) out.int('data offset', box.dataOffset ?? 0);
      if (f & TrackRunFlags.FirstSampleFlagsPresent) out.hex('first sample flags', box.firstSampleFlags ?? 0);
      if (out.verbosity === 0) return;
      // Verbosity 1 uses one-letter keys, 2 the full names (Ap4TrunAtom.cpp).
      const long = out.verbosity >= 2;
      const duration = f & TrackRunFlags.SampleDurationPresent ? (long ? 'sample_duration' : 'd') : null;
      const size = f & TrackRunFlags.SampleSizePresent ? (long ? 'sample_size' : 's') : null;
      const flags = f & TrackRunFlags.SampleFlagsPresent ? (long ? 'sample_flags' : 'f') : null;
      const offset =
        f & TrackRunFlags.SampleCompositionTimeOffsetPresent
          ? long
            ? 'sample_composition_time_offset'
            : 'c'
          : null;
      out.startArray('entries');
      const count = runEntryCount(box);
      for (let i = 0; i < count; i++) {
        const entry = box.entries[i] ?? NO_FIELDS;
        out.startObject(null, true);
        if (duration) out.int(duration, entry.sampleDuration ?? 0);
        if (size) out.int(size, entry.sampleSize ?? 0);
        if (flags) out.int(flags, entry.sampleFlags ?? 0);
        if (offset) out.int(offset, entry.sampleCompositionTimeOffset ?? 0);
        out.endObject();
      }
      out.endArray();
    },
  },
  sidx: {
    fields(box: SegmentIndexBox, out) {
      out.int('reference_ID', box.referenceId);
      out.int('timescale', box.timeScale);
      out.int('earliest_presentation_time', box.earliestPresentationTime);
      out.int('first_offset', box.firstOffset);
      if (out.verbosity >= 1) {
        out.startArray('entries');
        for (const r of box.references) {
          out.startObject(null, true);
          out.int('reference_type', r.referenceType);
          out.int('referenced_size', r.referencedSize);
          out.int('subsegment_duration', r.subsegmentDuration);
          out.int('starts_with_SAP', r.startsWithSap ? 1 : 0);
          out.int('SAP_type', r.sapType);
          out.int('SAP_delta_time', r.sapDeltaTime);
          out.endObject();
        }
        out.endArray();
      }
    },
  },
  ssix: {
    bento4: NOT_IN_BENTO4,
    fields(box: SubsegmentIndexBox, out) {
      out.int('subsegment_count', box.subsegments.length);
      if (out.verbosity >= 1) {
        out.startArray('entries');
        box.subsegments.forEach((ranges, subsegment) => {
          for (const range of ranges) {
            out.startObject(null, true);
            out.int('subsegment', subsegment);
            out.int('level', range.level);
            out.int('range_size', range.rangeSize);
            out.endObject();
          }
        });
        out.endArray();
      }
    },
  },
  emsg: {
    bento4: NOT_IN_BENTO4,
    fields(box: EventMessageBox, out) {
      out.str('scheme_id_uri', box.schemeIdUri);
      out.str('value', box.value);
      out.int('timescale', box.timeScale);
      if (box.presentationTime !== undefined) out.int('presentation_time', box.presentationTime);
      else out.int('presentation_time_delta', box.presentationTimeDelta ?? 0);
      out.int('event_duration', box.eventDuration);
      out.int('id', box.id);
      out.int('message_data_size', box.messageData.length);
      if (out.verbosity >= 1) out.bytes('message_data', box.messageData);
    },
  },
  prft: {
    bento4: NOT_IN_BENTO4,
    fields(box: ProducerReferenceTimeBox, out) {
      out.int('reference_track_ID', box.referenceTrackId);
      out.int('ntp_timestamp', box.ntpTimestamp);
      out.int('media_time', box.mediaTime);
    },
  },
  tfra: {
    fields(box: TrackFragmentRandomAccessBox, out) {
      out.int('track_ID', box.trackId);
      out.int('length_size_of_traf_num', box.lengthSizeOfTrafNumber);
      out.int('length_size_of_trun_num', box.lengthSizeOfTrunNumber);
      out.int('length_size_of_sample_num', box.lengthSizeOfSampleNumber);
      if (out.verbosity >= 1) {
        out.startArray('entries');
        for (const e of box.entries) {
          out.startObject(null, true);
          out.int('time', e.time);
          out.int('moof_offset', e.moofOffset);
          out.int('traf_number', e.trafNumber);
          out.int('trun_number', e.trunNumber);
          out.int('sample_number', e.sampleNumber);
          out.endObject();
        }
        out.endArray();
      }
    },
  },
  mfro: {
    fields(box: MovieFragmentRandomAccessOffsetBox, out) {
      out.int('mfra_size', box.mfraSize);
    },
  },
};
