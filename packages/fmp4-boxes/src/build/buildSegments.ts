import { expectInteger, invalidOption } from '@rec/core';
import type { Box } from '../Box.js';
import type { ContainerBox } from '../boxes/containers.js';
import type { DataEntryUrlBox, DataReferenceBox } from '../boxes/DataReferenceBox.js';
import type { FileTypeBox } from '../boxes/FileTypeBox.js';
import type { HandlerBox } from '../boxes/HandlerBox.js';
import type { MediaHeaderBox } from '../boxes/MediaHeaderBox.js';
import type {
  EmptyFullBox,
  SoundMediaHeaderBox,
  VideoMediaHeaderBox,
} from '../boxes/MediaInformationHeaderBoxes.js';
import type { TrackExtendsBox } from '../boxes/MovieExtendsBoxes.js';
import {
  type MovieFragmentHeaderBox,
  SampleFlags,
  type TrackFragmentBaseMediaDecodeTimeBox,
  type TrackFragmentHeaderBox,
  TrackFragmentHeaderFlags,
  type TrackRunBox,
  type TrackRunEntry,
  TrackRunFlags,
} from '../boxes/MovieFragmentBoxes.js';
import type { MovieHeaderBox } from '../boxes/MovieHeaderBox.js';
import type { SampleDescriptionBox } from '../boxes/SampleDescriptionBox.js';
import type {
  ChunkOffsetBox,
  SampleSizeBox,
  SampleToChunkBox,
  TimeToSampleBox,
} from '../boxes/SampleTableBoxes.js';
import type { SegmentIndexBox } from '../boxes/SegmentIndexBox.js';
import type { TrackHeaderBox } from '../boxes/TrackHeaderBox.js';
import { encodeBoxes } from '../write/encodeBoxes.js';
import { makeBox } from './makeBox.js';

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export interface InitTrack {
  trackId: number;
  /** `vide`, `soun`, or another handler type (`text`, `subt`...). */
  handlerType: string;
  /** Ticks per second of the track's samples. */
  timeScale: number;
  /** The sample entry (`avcSampleEntry`, `aacSampleEntry`, or one read from another file). */
  sampleEntry: Box;
  /** ISO-639-2/T (default `und`). */
  language?: string;
  /** Presentation size, for video (default: the sample entry's width and height). */
  width?: number;
  height?: number;
  handlerName?: string;
}

export interface InitSegmentOptions {
  tracks: readonly InitTrack[];
  /** The movie timescale (default 1000). */
  timeScale?: number;
  /** Default `iso6`, compatible with `iso6`, `cmfc`, `mp41`. */
  majorBrand?: string;
  compatibleBrands?: readonly string[];
}

/**
 * An fMP4 / CMAF init segment (ISO/IEC 14496-12 8.8, ISO/IEC 23000-19 7.3):
 * `ftyp`, then a `moov` with `mvhd`, one `trak` per track with empty sample
 * tables, and `mvex` with a `trex` per track (defaults left to the
 * fragments). Durations are 0: fragments carry the media.
 */
export function buildInitSegment(options: InitSegmentOptions): Uint8Array {
  if (!(options?.tracks?.length > 0)) {
    throw invalidOption('tracks', 'a non-empty array of tracks', options?.tracks);
  }
  const timeScale = expectInteger('timeScale', options.timeScale ?? 1000, 1, 0xffffffff);
  const ftyp = makeBox<FileTypeBox>('ftyp', {
    majorBrand: options.majorBrand ?? 'iso6',
    minorVersion: 0,
    compatibleBrands: [...(options.compatibleBrands ?? ['iso6', 'cmfc', 'mp41'])],
  });
  const nextTrackId = Math.max(...options.tracks.map((t) => t.trackId)) + 1;
  const mvhd = makeBox<MovieHeaderBox>('mvhd', {
    version: 0,
    flags: 0,
    creationTime: 0,
    modificationTime: 0,
    timeScale,
    duration: 0,
    rate: 1,
    volume: 1,
    reserved1: 0,
    reserved2: new Uint8Array(8),
    matrix: IDENTITY,
    predefined: new Uint8Array(24),
    nextTrackId,
  });
  const traks = options.tracks.map((track, i) => buildTrak(track, `tracks[${i}]`));
  const mvex = makeBox<ContainerBox>(
    'mvex',
    {},
    options.tracks.map((track) =>
      makeBox<TrackExtendsBox>('trex', {
        version: 0,
        flags: 0,
        trackId: track.trackId,
        defaultSampleDescriptionIndex: 1,
        defaultSampleDuration: 0,
        defaultSampleSize: 0,
        defaultSampleFlags: 0,
      }),
    ),
  );
  return encodeBoxes([ftyp, makeBox<ContainerBox>('moov', {}, [mvhd, ...traks, mvex])]);
}

function buildTrak(track: InitTrack, name: string): Box {
  expectInteger(`${name}.trackId`, track.trackId, 1, 0xffffffff);
  expectInteger(`${name}.timeScale`, track.timeScale, 1, 0xffffffff);
  const entry = track.sampleEntry as Box & { width?: number; height?: number };
  const video = track.handlerType === 'vide';
  const sound = track.handlerType === 'soun';
  const full = { version: 0, flags: 0 };
  const tkhd = makeBox<TrackHeaderBox>('tkhd', {
    version: 0,
    flags: 0x000003, // track_enabled, track_in_movie
    creationTime: 0,
    modificationTime: 0,
    trackId: track.trackId,
    reserved1: 0,
    duration: 0,
    reserved2: new Uint8Array(8),
    layer: 0,
    alternateGroup: sound ? 1 : 0,
    volume: sound ? 1 : 0,
    reserved3: 0,
    matrix: IDENTITY,
    width: video ? (track.width ?? entry.width ?? 0) : 0,
    height: video ? (track.height ?? entry.height ?? 0) : 0,
  });
  const mdhd = makeBox<MediaHeaderBox>('mdhd', {
    ...full,
    creationTime: 0,
    modificationTime: 0,
    timeScale: track.timeScale,
    duration: 0,
    language: track.language ?? 'und',
    languagePad: 0,
    predefined: 0,
  });
  const hdlr = makeBox<HandlerBox>('hdlr', {
    ...full,
    predefined: 0,
    handlerType: track.handlerType,
    reserved: new Uint8Array(12),
    handlerName: track.handlerName ?? (video ? 'VideoHandler' : sound ? 'SoundHandler' : 'Handler'),
    nameFormat: 'c',
  });
  const mediaHeader = video
    ? makeBox<VideoMediaHeaderBox>('vmhd', { version: 0, flags: 1, graphicsMode: 0, opColor: [0, 0, 0] })
    : sound
      ? makeBox<SoundMediaHeaderBox>('smhd', { ...full, balance: 0, reserved: 0 })
      : makeBox<EmptyFullBox>('nmhd', full);
  const dinf = makeBox<ContainerBox>('dinf', {}, [
    makeBox<DataReferenceBox>('dref', { ...full, entryCount: 1 }, [
      makeBox<DataEntryUrlBox>('url ', { version: 0, flags: 1 }), // the media is in this file
    ]),
  ]);
  const empty = new Uint32Array(0);
  const stbl = makeBox<ContainerBox>('stbl', {}, [
    makeBox<SampleDescriptionBox>('stsd', { ...full, entryCount: 1 }, [track.sampleEntry]),
    makeBox<TimeToSampleBox>('stts', { ...full, sampleCounts: empty, sampleDurations: empty }),
    makeBox<SampleToChunkBox>('stsc', {
      ...full,
      firstChunks: empty,
      samplesPerChunk: empty,
      sampleDescriptionIndexes: empty,
    }),
    makeBox<SampleSizeBox>('stsz', { ...full, sampleSize: 0, sampleCount: 0, entries: empty }),
    makeBox<ChunkOffsetBox>('stco', { ...full, entries: new Float64Array(0) }),
  ]);
  const minf = makeBox<ContainerBox>('minf', {}, [mediaHeader, dinf, stbl]);
  return makeBox<ContainerBox>('trak', {}, [tkhd, makeBox<ContainerBox>('mdia', {}, [mdhd, hdlr, minf])]);
}

export interface FragmentSampleInput {
  /** The sample's bytes (length-prefixed NAL units for AVC, a raw AAC frame...). */
  data: Uint8Array;
  /** Media timescale ticks. */
  duration: number;
  /** A sync sample (default true: audio). */
  sync?: boolean;
  /** cts - dts (may be negative: the trun is then version 1). */
  compositionOffset?: number;
}

export interface FragmentTrack {
  trackId: number;
  /** Decode time of the first sample, media timescale (tfdt). */
  baseMediaDecodeTime: number;
  samples: readonly FragmentSampleInput[];
}

export interface FragmentOptions {
  /** mfhd sequence_number (from 1). */
  sequenceNumber: number;
  tracks: readonly FragmentTrack[];
  /** Prepend an `styp` (a DASH/CMAF media segment), with these brands (default `msdh`, `msix`). */
  styp?: boolean | { majorBrand: string; compatibleBrands: string[] };
}

/**
 * One movie fragment: (`styp`,) `moof` with a `traf` per track (`tfhd`
 * with default-base-is-moof, `tfdt` version 1, a `trun` listing each
 * sample's duration, size, flags and composition offset), then the `mdat`
 * holding the tracks' samples in order. The trun data offsets point into
 * that mdat (ISO/IEC 14496-12 8.8.7.1, 8.8.8).
 */
export function buildFragment(options: FragmentOptions): Uint8Array {
  expectInteger('sequenceNumber', options.sequenceNumber, 0, 0xffffffff);
  if (!(options?.tracks?.length > 0)) {
    throw invalidOption('tracks', 'a non-empty array of tracks', options.tracks);
  }
  const truns: TrackRunBox[] = [];
  const trafs = options.tracks.map((track) => {
    const anyNegative = track.samples.some((s) => (s.compositionOffset ?? 0) < 0);
    const anyOffset = track.samples.some((s) => (s.compositionOffset ?? 0) !== 0);
    const entries: TrackRunEntry[] = track.samples.map((s) => {
      const entry: TrackRunEntry = {
        sampleDuration: s.duration,
        sampleSize: s.data.length,
        // A sync sample depends on no other; others depend on one and are not sync (8.8.3.1).
        sampleFlags:
          (s.sync ?? true)
            ? SampleFlags.DependsOnNoOther
            : SampleFlags.DependsOnOthers | SampleFlags.IsNonSync,
      };
      if (anyOffset) entry.sampleCompositionTimeOffset = s.compositionOffset ?? 0;
      return entry;
    });
    const f = TrackRunFlags;
    const trun = makeBox<TrackRunBox>('trun', {
      version: anyNegative ? 1 : 0,
      flags:
        f.DataOffsetPresent |
        f.SampleDurationPresent |
        f.SampleSizePresent |
        f.SampleFlagsPresent |
        (anyOffset ? f.SampleCompositionTimeOffsetPresent : 0),
      sampleCount: entries.length,
      dataOffset: 0, // set below, once the moof's size is known
      entries,
    });
    truns.push(trun);
    return makeBox<ContainerBox>('traf', {}, [
      makeBox<TrackFragmentHeaderBox>('tfhd', {
        version: 0,
        flags: TrackFragmentHeaderFlags.DefaultBaseIsMoof,
        trackId: track.trackId,
      }),
      makeBox<TrackFragmentBaseMediaDecodeTimeBox>('tfdt', {
        version: 1,
        flags: 0,
        baseMediaDecodeTime: track.baseMediaDecodeTime,
      }),
      trun,
    ]);
  });
  const moof = makeBox<ContainerBox>('moof', {}, [
    makeBox<MovieFragmentHeaderBox>('mfhd', { version: 0, flags: 0, sequenceNumber: options.sequenceNumber }),
    ...trafs,
  ]);
  // The moof's size does not depend on the data offsets' values: write once to learn it.
  const moofSize = encodeBoxes([moof]).length;
  let offset = moofSize + 8; // mdat header
  options.tracks.forEach((track, i) => {
    truns[i]!.dataOffset = offset;
    for (const sample of track.samples) offset += sample.data.length;
  });
  const payload = new Uint8Array(offset - moofSize - 8);
  let at = 0;
  for (const track of options.tracks) {
    for (const sample of track.samples) {
      payload.set(sample.data, at);
      at += sample.data.length;
    }
  }
  const boxes: Box[] = [moof, makeBox<Box>('mdat', { payload })];
  if (options.styp) {
    const brands =
      options.styp === true ? { majorBrand: 'msdh', compatibleBrands: ['msdh', 'msix'] } : options.styp;
    boxes.unshift(makeBox<FileTypeBox>('styp', { minorVersion: 0, ...brands }));
  }
  return encodeBoxes(boxes);
}

export interface SidxReferenceInput {
  /** Bytes of the subsegment (moof + mdat), or of the referenced sidx. */
  size: number;
  /** Timescale ticks. */
  duration: number;
  /** starts_with_SAP (default true). */
  sap?: boolean;
  /** SAP_type (default 1: a closed GOP). */
  sapType?: number;
  /** Points to another sidx (a hierarchical index). */
  index?: boolean;
}

export interface SidxOptions {
  referenceId: number;
  timeScale: number;
  earliestPresentationTime: number;
  /** Bytes between the end of the sidx and the first subsegment (default 0). */
  firstOffset?: number;
  references: readonly SidxReferenceInput[];
}

/** A `sidx` box (ISO/IEC 14496-12 8.16.3), version 1, for the subsegments that follow it. */
export function buildSidx(options: SidxOptions): Uint8Array {
  if (options.references.length > 0xffff) {
    throw invalidOption('references', 'at most 65535 references', options.references.length);
  }
  const sidx = makeBox<SegmentIndexBox>('sidx', {
    version: 1,
    flags: 0,
    referenceId: options.referenceId,
    timeScale: options.timeScale,
    earliestPresentationTime: options.earliestPresentationTime,
    firstOffset: options.firstOffset ?? 0,
    reserved: 0,
    references: options.references.map((r) => ({
      referenceType: r.index ? 1 : 0,
      referencedSize: r.size,
      subsegmentDuration: r.duration,
      startsWithSap: r.sap ?? true,
      sapType: r.sapType ?? 1,
      sapDeltaTime: 0,
    })),
  });
  return encodeBoxes([sidx]);
}
