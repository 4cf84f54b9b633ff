import { TS_CLOCK } from '../../clock.js';
import { EsParseError } from '../../EsParseError.js';
import { H264PocCalculator } from '../../timing/H264PocCalculator.js';
import { h264ReorderDepth } from '../../timing/h264ReorderDepth.js';
import type { NalUnit } from '../../types.js';
import { BitReader } from '../BitReader.js';
import {
  type CodedPicture,
  type PictureAssembler,
  type PictureAssemblerOptions,
  type StreamTiming,
  type Truncation,
  unparsedPicture,
  type WarnFn,
} from '../CodedPicture.js';
import { RbspReader } from '../RbspReader.js';
import { SliceLayout } from '../SliceLayout.js';
import { unescapeRbsp } from '../unescapeRbsp.js';
import { H264NalType } from './H264NalType.js';
import { type H264Pps, parseH264Pps } from './parseH264Pps.js';
import { type H264SliceHeader, isNewH264Picture, parseH264SliceHeader } from './parseH264SliceHeader.js';
import { type H264Sps, parseH264Sps } from './parseH264Sps.js';

/** NAL types that start a new access unit when they follow a VCL NAL (7.4.1.2.3): SEI, SPS, PPS, AUD, 13..18. */
const AU_START_TYPES = new Set<number>([
  H264NalType.Sei,
  H264NalType.Sps,
  H264NalType.Pps,
  H264NalType.Aud,
  H264NalType.SpsExtension,
  H264NalType.PrefixNal,
  H264NalType.SubsetSps,
  H264NalType.DepthParameterSet,
  17, // reserved
  18, // reserved
]);
/** Slice header bytes unescaped first; longer headers are retried with the whole NAL. */
const HEADER_BYTES = 512;

interface Picture {
  nals: NalUnit[];
  byteOffset: number;
  slice: H264SliceHeader | undefined;
  sps: H264Sps | undefined;
  recoveryPoint: boolean;
  hasVcl: boolean;
  /** first_mb_in_slice of an unparsed leading slice. */
  unparsed: boolean;
  /** first_mb_in_slice of its primary slices, in order. */
  starts: number[];
}

/**
 * H.264 access units (ITU-T H.264 7.4.1.2.3/7.4.1.2.4) with their POC.
 * Complementary field pairs are merged into one picture: timing counts frames.
 */
export class H264PictureAssembler implements PictureAssembler {
  readonly #sps = new Map<number, H264Sps>();
  readonly #pps = new Map<number, H264Pps>();
  readonly #poc = new H264PocCalculator();
  readonly #rbsp: RbspReader;
  readonly #warn: WarnFn;
  readonly #truncated: (truncation: Truncation) => void;
  readonly #layout = new SliceLayout();
  #cur: Picture = emptyPicture(0);
  /** A first field waiting for its second field. */
  #field: { picture: CodedPicture; slice: H264SliceHeader } | undefined;

  constructor(options: PictureAssemblerOptions) {
    this.#rbsp = new RbspReader({ headerBytes: 1, scratchBytes: HEADER_BYTES, source: options.source });
    this.#warn = options.warn;
    this.#truncated = options.truncated;
  }

  push(nal: Uint8Array, position: number, last: boolean, out: CodedPicture[]): void {
    const type = nal[0]! & 0x1f;
    const refIdc = (nal[0]! >> 5) & 3;
    const cur = this.#cur;
    if (AU_START_TYPES.has(type) && cur.hasVcl) this.#complete(position, out);
    if (type === H264NalType.Sps || type === H264NalType.Pps) {
      try {
        this.#parseParameterSet(nal, type, position);
      } catch (error) {
        if (!(last && error instanceof EsParseError)) throw error;
        this.#truncated({
          offset: position,
          what: `the input ends inside ${type === H264NalType.Sps ? 'an SPS' : 'a PPS'}`,
          pictures: 0,
        });
        return;
      }
    } else if (type === H264NalType.Sei) {
      if (this.#rbsp.seiHasRecoveryPoint(nal, position, this.#warn)) this.#cur.recoveryPoint = true;
    } else if (
      type === H264NalType.NonIdrSlice ||
      type === H264NalType.SliceDataA ||
      type === H264NalType.IdrSlice
    ) {
      this.#pushSlice(nal, type, refIdc, position, last, out);
      return;
    }
    this.#cur.nals.push({ type, bytes: nal });
  }

  end(out: CodedPicture[]): void {
    const cur = this.#cur;
    const missing = cur.hasVcl && !cur.unparsed ? this.#layout.missing(cur.starts) : 0;
    if (missing > 0) {
      this.#cur = emptyPicture(0);
      this.#truncated({
        offset: cur.byteOffset,
        what: `the input ends inside a picture: it has ${cur.starts.length} of the ${this.#layout.slices} slices every other picture has`,
        pictures: 1,
      });
    } else if (cur.hasVcl) this.#complete(0, out, true);
    this.#flushField(out);
  }

  held(): NalUnit[][] {
    return this.#field ? [this.#cur.nals, this.#field.picture.nals] : [this.#cur.nals];
  }

  #pushSlice(
    nal: Uint8Array,
    type: number,
    refIdc: number,
    position: number,
    last: boolean,
    out: CodedPicture[],
  ): void {
    let slice: H264SliceHeader | undefined;
    try {
      slice = this.#parseSlice(nal, type, refIdc, position);
    } catch (error) {
      if (!(error instanceof EsParseError)) throw error;
      if (last) {
        // Input ends inside this slice's header: the picture it belongs to is incomplete.
        const firstMb = firstMbInSlice(nal);
        const partOfCurrent = firstMb !== 0 && this.#cur.hasVcl;
        const offset = partOfCurrent ? this.#cur.byteOffset : position;
        if (partOfCurrent) this.#cur = emptyPicture(position);
        this.#truncated({ offset, what: 'the input ends inside a slice header', pictures: 1 });
        return;
      }
      if (this.#pps.size > 0 && this.#sps.size > 0 && this.#knownPps(nal)) throw error;
      // Before the parameter sets (a stream cut mid-GOP): only first_mb_in_slice tells pictures apart.
      const firstMb = firstMbInSlice(nal);
      if (this.#cur.hasVcl && (firstMb === 0 || !this.#cur.unparsed)) this.#complete(position, out);
      const cur = this.#cur;
      cur.hasVcl = true;
      cur.unparsed = true;
      cur.nals.push({ type, bytes: nal });
      return;
    }
    const cur = this.#cur;
    if (cur.hasVcl && (cur.unparsed || !cur.slice || isNewH264Picture(cur.slice, slice, cur.sps!))) {
      this.#complete(position, out);
    }
    const next = this.#cur;
    if (!next.hasVcl) {
      next.slice = slice;
      next.sps = this.#sps.get(this.#pps.get(slice.ppsId)!.spsId);
      next.hasVcl = true;
      if (next.nals.length === 0) next.byteOffset = position;
    } else if (slice.mmco5) next.slice = { ...next.slice!, mmco5: true };
    if (slice.redundantPicCnt === 0) next.starts.push(slice.firstMbInSlice);
    next.nals.push({ type, bytes: nal });
  }

  #knownPps(nal: Uint8Array): boolean {
    try {
      const r = this.#rbsp.read(nal, 0, 'slice header', 16);
      r.ue();
      r.ue();
      return this.#pps.has(r.ue());
    } catch {
      return false;
    }
  }

  #parseSlice(nal: Uint8Array, type: number, refIdc: number, position: number): H264SliceHeader {
    const sets = { sps: this.#sps, pps: this.#pps };
    try {
      const head = this.#rbsp.read(nal, position, 'slice header', HEADER_BYTES);
      return parseH264SliceHeader(head, type, refIdc, sets);
    } catch (error) {
      // Most headers fit in HEADER_BYTES; a longer one (many ref_pic_list or pred_weight entries) gets the whole NAL.
      if (!(error instanceof EsParseError) || nal.length <= HEADER_BYTES) throw error;
      return parseH264SliceHeader(this.#rbsp.read(nal, position, 'slice header'), type, refIdc, sets);
    }
  }

  #parseParameterSet(nal: Uint8Array, type: number, position: number): void {
    if (type === H264NalType.Sps) {
      const sps = parseH264Sps(this.#rbsp.read(nal, position, 'SPS'));
      this.#sps.set(sps.spsId, sps);
    } else {
      const pps = parseH264Pps(this.#rbsp.read(nal, position, 'PPS'));
      this.#pps.set(pps.ppsId, pps);
    }
  }

  /**
   * The picture in progress is complete: compute its POC, pair fields, hand
   * it on. `last`: the input ended after it (so its slices say nothing about
   * the layout of complete pictures).
   */
  #complete(nextPosition: number, out: CodedPicture[], last = false): void {
    const cur = this.#cur;
    this.#cur = emptyPicture(nextPosition);
    const slice = cur.slice;
    const sps = cur.sps;
    if (!slice || !sps || cur.unparsed) {
      this.#flushField(out);
      out.push(unparsedPicture(cur.nals, cur.byteOffset));
      return;
    }
    if (!last) this.#layout.complete(cur.starts);
    const idr = slice.nalType === H264NalType.IdrSlice;
    const poc = this.#poc.compute(slice, sps);
    const picture: CodedPicture = {
      nals: cur.nals,
      byteOffset: cur.byteOffset,
      randomAccess: idr || cur.recoveryPoint,
      flushBefore: idr || slice.mmco5,
      poc,
      reorder: h264ReorderDepth(sps),
      timing: h264Timing(sps),
      parsed: true,
      undecodable: false,
    };
    const first = this.#field;
    if (first) {
      this.#field = undefined;
      const a = first.slice;
      if (
        slice.fieldPic &&
        a.bottomField !== slice.bottomField &&
        a.frameNum === slice.frameNum &&
        !idr &&
        !slice.mmco5
      ) {
        // Second field of a complementary pair (3.30): one frame for timing.
        first.picture.nals.push(...picture.nals);
        first.picture.poc = Math.min(first.picture.poc, poc);
        out.push(first.picture);
        return;
      }
      out.push(first.picture);
    }
    if (slice.fieldPic) this.#field = { picture, slice };
    else out.push(picture);
  }

  #flushField(out: CodedPicture[]): void {
    if (this.#field) out.push(this.#field.picture);
    this.#field = undefined;
  }
}

function emptyPicture(byteOffset: number): Picture {
  return {
    nals: [],
    byteOffset,
    slice: undefined,
    sps: undefined,
    recoveryPoint: false,
    hasVcl: false,
    unparsed: false,
    starts: [],
  };
}

/** first_mb_in_slice of a slice NAL without parameter sets, or -1. */
function firstMbInSlice(nal: Uint8Array): number {
  try {
    const scratch = { buffer: new Uint8Array(16) };
    const n = unescapeRbsp(nal, scratch, 16);
    return new BitReader(scratch.buffer, { length: n, startByte: 1 }).ue();
  } catch {
    return -1;
  }
}

/** Frame duration from VUI timing_info: 2 * num_units_in_tick / time_scale seconds (E.2.1, a frame is two field ticks). */
function h264Timing(sps: H264Sps): StreamTiming | undefined {
  const t = sps.timing;
  if (!t) return undefined;
  return { frameDuration: (TS_CLOCK * 2 * t.numUnitsInTick) / t.timeScale, from: 'SPS VUI timing_info' };
}
