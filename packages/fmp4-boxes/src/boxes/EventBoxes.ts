import { ByteReader } from '@rec/core';
import type { FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readFullBox, readRest, readUint64, readUintV, sameBytes } from '../read/fields.js';
import type { ByteWriter } from '../write/ByteWriter.js';
import { writeFullBox } from '../write/fields.js';

/** `emsg` (ISO/IEC 23009-1 5.10.3.3): an event message (SCTE-35, ID3...) in a DASH segment. */
export interface EventMessageBox extends FullBox {
  type: 'emsg';
  schemeIdUri: string;
  value: string;
  timeScale: number;
  /** Version 0: relative to the segment's earliest presentation time. */
  presentationTimeDelta?: number;
  /** Version 1: on the media timeline. */
  presentationTime?: Uint64;
  eventDuration: number;
  id: number;
  messageData: Uint8Array;
  /**
   * The scheme_id_uri and value bytes as read, when they are not two UTF-8
   * strings each ending in a NUL (a string running to the end of the box, an
   * invalid byte): kept so that the box writes back as it was read, while
   * `schemeIdUri` and `value` are unchanged.
   */
  stringBytes?: Uint8Array;
}

const utf8Encoder = new TextEncoder();

/** scheme_id_uri and value (two NUL-terminated UTF-8 strings), with their bytes when they do not round-trip. */
function readEventStrings(
  reader: ByteReader,
): Pick<EventMessageBox, 'schemeIdUri' | 'value' | 'stringBytes'> {
  const start = reader.position;
  const schemeIdUri = reader.cstring(); // scheme_id_uri
  const value = reader.cstring(); // value
  const read = reader.bytes.subarray(start, reader.position);
  return sameBytes(canonicalStrings(schemeIdUri, value), read)
    ? { schemeIdUri, value }
    : { schemeIdUri, value, stringBytes: read.slice() };
}

function canonicalStrings(schemeIdUri: string, value: string): Uint8Array {
  const a = utf8Encoder.encode(schemeIdUri);
  const b = utf8Encoder.encode(value);
  const out = new Uint8Array(a.length + b.length + 2);
  out.set(a, 0);
  out.set(b, a.length + 1);
  return out;
}

function writeEventStrings(box: EventMessageBox, writer: ByteWriter): void {
  const raw = box.stringBytes;
  if (raw && sameRead(raw, box.schemeIdUri, box.value)) writer.bytes(raw);
  else writer.cstring(box.schemeIdUri).cstring(box.value);
}

/** Whether `raw` still reads as these two strings (the caller has not changed them since). */
function sameRead(raw: Uint8Array, schemeIdUri: string, value: string): boolean {
  const reader = new ByteReader(raw);
  return reader.cstring() === schemeIdUri && reader.cstring() === value;
}

/*
 * aligned(8) class DASHEventMessageBox extends FullBox('emsg', version, flags = 0) {
 *   if (version==0) { string scheme_id_uri; string value; unsigned int(32) timescale;
 *     unsigned int(32) presentation_time_delta; unsigned int(32) event_duration; unsigned int(32) id; }
 *   else if (version==1) { unsigned int(32) timescale; unsigned int(64) presentation_time;
 *     unsigned int(32) event_duration; unsigned int(32) id; string scheme_id_uri; string value; }
 *   unsigned int(8) message_data[]; }
 */
export const emsg: BoxDecoder<EventMessageBox> = {
  type: 'emsg',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    if (version === 0) {
      const strings = readEventStrings(reader);
      return {
        version,
        flags,
        ...strings,
        timeScale: reader.u32(), // timescale
        presentationTimeDelta: reader.u32(), // presentation_time_delta
        eventDuration: reader.u32(), // event_duration
        id: reader.u32(), // id
        messageData: readRest(reader), // message_data
      };
    }
    const timeScale = reader.u32(); // timescale
    const presentationTime = readUint64(reader); // presentation_time
    const eventDuration = reader.u32(); // event_duration
    const id = reader.u32(); // id
    return {
      version,
      flags,
      timeScale,
      presentationTime,
      eventDuration,
      id,
      ...readEventStrings(reader),
      messageData: readRest(reader), // message_data
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    if (box.version === 0) {
      writeEventStrings(box, writer);
      writer
        .u32(box.timeScale)
        .u32(box.presentationTimeDelta ?? 0)
        .u32(box.eventDuration)
        .u32(box.id);
    } else {
      writer
        .u32(box.timeScale)
        .u64(box.presentationTime ?? 0)
        .u32(box.eventDuration)
        .u32(box.id);
      writeEventStrings(box, writer);
    }
    writer.bytes(box.messageData); // message_data
  },
};

/** `prft` (ISO/IEC 14496-12 8.16.5): the wall-clock (NTP) time of a media time, for live latency. */
export interface ProducerReferenceTimeBox extends FullBox {
  type: 'prft';
  referenceTrackId: number;
  /** NTP format: seconds since 1900 in the high 32 bits, the fraction in the low 32. */
  ntpTimestamp: Uint64;
  mediaTime: Uint64;
}

/* aligned(8) class ProducerReferenceTimeBox extends FullBox('prft', version, flags) { unsigned int(32) reference_track_ID;
 *   unsigned int(64) ntp_timestamp; if (version==0) { unsigned int(32) media_time; } else { unsigned int(64) media_time; } } */
export const prft: BoxDecoder<ProducerReferenceTimeBox> = {
  type: 'prft',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return {
      version,
      flags,
      referenceTrackId: reader.u32(), // reference_track_ID
      ntpTimestamp: readUint64(reader), // ntp_timestamp
      mediaTime: readUintV(reader, version), // media_time
    };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.referenceTrackId).u64(box.ntpTimestamp).uintV(box.mediaTime, box.version);
  },
};

export interface SubsampleInfo {
  /** 16 bits in version 0, 32 in version 1. */
  subsampleSize: number;
  subsamplePriority: number;
  discardable: number;
  codecSpecificParameters: number;
}

export interface SubsampleEntry {
  sampleDelta: number;
  subsamples: SubsampleInfo[];
}

/** `subs` (ISO/IEC 14496-12 8.7.7): how samples divide into sub-samples (NAL units, tiles, subtitle images). */
export interface SubSampleInformationBox extends FullBox {
  type: 'subs';
  entries: SubsampleEntry[];
}

/* aligned(8) class SubSampleInformationBox extends FullBox('subs', version, flags) { unsigned int(32) entry_count;
 *   for (i=0; i < entry_count; i++) { unsigned int(32) sample_delta; unsigned int(16) subsample_count;
 *     if (subsample_count > 0) { for (j=0; j < subsample_count; j++) {
 *       if(version == 1) { unsigned int(32) subsample_size; } else { unsigned int(16) subsample_size; }
 *       unsigned int(8) subsample_priority; unsigned int(8) discardable; unsigned int(32) codec_specific_parameters; } } } } */
export const subs: BoxDecoder<SubSampleInformationBox> = {
  type: 'subs',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // entry_count
    needEntries(reader, context, count, 6);
    const entries: SubsampleEntry[] = [];
    for (let i = 0; i < count; i++) {
      const sampleDelta = reader.u32(); // sample_delta
      const subsampleCount = reader.u16(); // subsample_count
      needEntries(reader, context, subsampleCount, version === 1 ? 10 : 8, 'subsample_count');
      const subsamples: SubsampleInfo[] = [];
      for (let j = 0; j < subsampleCount; j++) {
        subsamples.push({
          subsampleSize: version === 1 ? reader.u32() : reader.u16(), // subsample_size
          subsamplePriority: reader.u8(), // subsample_priority
          discardable: reader.u8(), // discardable
          codecSpecificParameters: reader.u32(), // codec_specific_parameters
        });
      }
      entries.push({ sampleDelta, subsamples });
    }
    return { version, flags, entries };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.entries.length); // entry_count
    for (const entry of box.entries) {
      writer.u32(entry.sampleDelta).u16(entry.subsamples.length); // sample_delta, subsample_count
      for (const s of entry.subsamples) {
        if (box.version === 1) writer.u32(s.subsampleSize);
        else writer.u16(s.subsampleSize); // subsample_size
        writer.u8(s.subsamplePriority).u8(s.discardable).u32(s.codecSpecificParameters);
      }
    }
  },
};

export interface SubsegmentRange {
  level: number;
  rangeSize: number;
}

/** `ssix` (ISO/IEC 14496-12 8.16.4): byte ranges of each subsegment by level (for trick play). */
export interface SubsegmentIndexBox extends FullBox {
  type: 'ssix';
  subsegments: SubsegmentRange[][];
}

/* aligned(8) class SubsegmentIndexBox extends FullBox('ssix', 0, 0) { unsigned int(32) subsegment_count;
 *   for( i=1; i <= subsegment_count; i++) { unsigned int(32) range_count;
 *     for ( j=1; j <= range_count; j++) { unsigned int(8) level; unsigned int(24) range_size; } } } */
export const ssix: BoxDecoder<SubsegmentIndexBox> = {
  type: 'ssix',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // subsegment_count
    needEntries(reader, context, count, 4, 'subsegment_count');
    const subsegments: SubsegmentRange[][] = [];
    for (let i = 0; i < count; i++) {
      const ranges = reader.u32(); // range_count
      needEntries(reader, context, ranges, 4, 'range_count');
      const list: SubsegmentRange[] = [];
      for (let j = 0; j < ranges; j++) {
        list.push({ level: reader.u8(), rangeSize: reader.u24() }); // level, range_size
      }
      subsegments.push(list);
    }
    return { version, flags, subsegments };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.subsegments.length); // subsegment_count
    for (const ranges of box.subsegments) {
      writer.u32(ranges.length); // range_count
      for (const range of ranges) writer.u8(range.level).u24(range.rangeSize); // level, range_size
    }
  },
};

/** `elng` (ISO/IEC 14496-12 8.4.6): the media's language as a BCP 47 tag. */
export interface ExtendedLanguageBox extends FullBox {
  type: 'elng';
  extendedLanguage: string;
}

/* class ExtendedLanguageBox extends FullBox('elng', 0, 0) { utf8string extended_language; } */
export const elng: BoxDecoder<ExtendedLanguageBox> = {
  type: 'elng',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, extendedLanguage: reader.cstring() }; // extended_language
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.cstring(box.extendedLanguage); // extended_language
  },
};

/** `kind` (ISO/IEC 14496-12 8.10.4): a track's role (`urn:mpeg:dash:role:2011` `main`...). */
export interface KindBox extends FullBox {
  type: 'kind';
  schemeUri: string;
  value: string;
}

/* aligned(8) class KindBox extends FullBox('kind', version = 0, 0) { utf8string schemeURI; utf8string value; } */
export const kind: BoxDecoder<KindBox> = {
  type: 'kind',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, schemeUri: reader.cstring(), value: reader.cstring() }; // schemeURI, value
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.cstring(box.schemeUri).cstring(box.value); // schemeURI, value
  },
};
