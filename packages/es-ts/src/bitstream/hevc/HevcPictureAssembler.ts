import { TS_CLOCK } from '../../clock.js';
import { EsParseError } from '../../EsParseError.js';
import { HevcPocCalculator } from '../../timing/HevcPocCalculator.js';
import type { NalUnit } from '../../types.js';
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
import { HevcNalType, isHevcIdr, isHevcIrap, isHevcRasl } from './HevcNalType.js';
import { type HevcEntryPoints, parseHevcEntryPoints } from './parseHevcEntryPoints.js';
import { type HevcPps, parseHevcPps } from './parseHevcPps.js';
import { type HevcSliceHeader, parseHevcSliceHeader } from './parseHevcSliceHeader.js';
import { type HevcSps, parseHevcSps } from './parseHevcSps.js';
import { type HevcVps, parseHevcVps } from './parseHevcVps.js';
import { SubstreamCheck } from './SubstreamCheck.js';

const HEADER_BYTES = 256;

/** Prefix non-VCL types that start an access unit after a VCL NAL (7.4.2.4.4): VPS, SPS, PPS, AUD, prefix SEI, 41..44, 48..55. */
const isAuStart = (t: number): boolean =>
  (t >= 32 && t <= 35) || t === 39 || (t >= 41 && t <= 44) || (t >= 48 && t <= 55);

/** A slice segment header, with its entry points when they could be read. */
interface ParsedSlice {
  header: HevcSliceHeader;
  entryPoints: HevcEntryPoints | undefined;
  /** The NAL unit ends before the header's end (only known when the PPS could be read). */
  headerCut: boolean;
}

interface Picture {
  nals: NalUnit[];
  byteOffset: number;
  slice: HevcSliceHeader | undefined;
  sps: HevcSps | undefined;
  hasVcl: boolean;
  recoveryPoint: boolean;
  /** slice_segment_address of its slice segments, in order. */
  starts: number[];
}

/** HEVC access units (ITU-T H.265 7.4.2.4.4) with PicOrderCntVal (8.3.1) and RASL handling (8.1.3). */
export class HevcPictureAssembler implements PictureAssembler {
  readonly #vps = new Map<number, HevcVps>();
  readonly #sps = new Map<number, HevcSps>();
  readonly #pps = new Map<number, HevcPps>();
  readonly #poc = new HevcPocCalculator();
  readonly #rbsp: RbspReader;
  readonly #warn: WarnFn;
  readonly #truncated: (truncation: Truncation) => void;
  readonly #layout = new SliceLayout();
  readonly #substreams = new SubstreamCheck();
  #cur: Picture = emptyPicture(0);
  /** The next IRAP gets NoRaslOutputFlag = 1: first picture, or after an end of sequence NAL. */
  #firstInSequence = true;
  /** RASL pictures of the current IRAP cannot be decoded (it had NoRaslOutputFlag = 1 and is a CRA/BLA). */
  #skipRasl = false;

  constructor(options: PictureAssemblerOptions) {
    this.#rbsp = new RbspReader({ headerBytes: 2, scratchBytes: HEADER_BYTES, source: options.source });
    this.#warn = options.warn;
    this.#truncated = options.truncated;
  }

  push(nal: Uint8Array, position: number, last: boolean, out: CodedPicture[]): void {
    if (nal.length < 2) {
      this.#cur.nals.push({ type: (nal[0]! >> 1) & 0x3f, bytes: nal });
      return;
    }
    const type = (nal[0]! >> 1) & 0x3f;
    const layerId = ((nal[0]! & 1) << 5) | (nal[1]! >> 3);
    const temporalId = (nal[1]! & 7) - 1;
    if (layerId > 0) {
      // Enhancement layers travel with the base-layer picture.
      this.#cur.nals.push({ type, bytes: nal });
      return;
    }
    if (isAuStart(type) && this.#cur.hasVcl) this.#complete(position, out);
    if (type === HevcNalType.Vps || type === HevcNalType.Sps || type === HevcNalType.Pps) {
      try {
        this.#parseParameterSet(nal, type, position);
      } catch (error) {
        if (!(last && error instanceof EsParseError)) throw error;
        const name = type === HevcNalType.Vps ? 'a VPS' : type === HevcNalType.Sps ? 'an SPS' : 'a PPS';
        this.#truncated({ offset: position, what: `the input ends inside ${name}`, pictures: 0 });
        return;
      }
    } else if (type === HevcNalType.PrefixSei) {
      if (this.#rbsp.seiHasRecoveryPoint(nal, position, this.#warn)) this.#cur.recoveryPoint = true;
    } else if (type <= 31) {
      this.#pushSlice(nal, type, temporalId, position, last, out);
      return;
    }
    this.#cur.nals.push({ type, bytes: nal });
    if (type === HevcNalType.EndOfSequence || type === HevcNalType.EndOfBitstream)
      this.#firstInSequence = true;
  }

  end(out: CodedPicture[]): void {
    const cur = this.#cur;
    const missing = cur.hasVcl && cur.slice ? this.#layout.missing(cur.starts) : 0;
    if (missing > 0) {
      this.#cur = emptyPicture(0);
      this.#truncated({
        offset: cur.byteOffset,
        what: `the input ends inside a picture: it has ${cur.starts.length} of the ${this.#layout.slices} slice segments every other picture has`,
        pictures: 1,
      });
    } else if (cur.hasVcl) this.#complete(0, out, true);
  }
  held(): NalUnit[][] {
    return [this.#cur.nals];
  }

  #pushSlice(
    nal: Uint8Array,
    type: number,
    temporalId: number,
    position: number,
    last: boolean,
    out: CodedPicture[],
  ): void {
    if (type > 21 && type <= 31) {
      // Reserved VCL types: carried along, not parsed.
      this.#cur.nals.push({ type, bytes: nal });
      return;
    }
    const firstFlag = nal.length > 2 && (nal[2]! & 0x80) !== 0;
    let parsed: ParsedSlice | undefined;
    if (firstFlag) {
      try {
        parsed = this.#parseSlice(nal, type, temporalId, position);
      } catch (error) {
        if (!(error instanceof EsParseError)) throw error;
        if (last) {
          this.#truncated({ offset: position, what: 'the input ends inside a slice header', pictures: 1 });
          return;
        }
        if (this.#pps.size > 0) throw error;
        // Before any parameter set (a stream cut mid-GOP): a leading picture nobody can decode.
      }
      if (this.#cur.hasVcl) this.#complete(position, out);
    } else if (last && !this.#cur.hasVcl) {
      return;
    }
    const cur = this.#cur;
    if (!firstFlag && cur.slice) {
      try {
        parsed = this.#parseSlice(nal, type, temporalId, position);
      } catch (error) {
        if (!(error instanceof EsParseError)) throw error;
        // Carried as it is; an address no layout has keeps the picture out of SliceLayout's conclusions.
        parsed = undefined;
        if (!last) cur.starts.push(-1);
      }
    }
    if (cur.slice || (firstFlag && parsed)) {
      const cutAt = last ? this.#cutInside(nal, parsed) : undefined;
      if (cutAt !== undefined) {
        // The input ends inside this slice segment: its picture misses the rest of it.
        const offset = firstFlag || !cur.hasVcl ? position : cur.byteOffset;
        if (!firstFlag) this.#cur = emptyPicture(position);
        this.#truncated({ offset, what: `the input ends inside ${cutAt}`, pictures: 1 });
        return;
      }
      if (!last) this.#substreams.complete(nal, parsed?.entryPoints);
    }
    if (!cur.hasVcl) {
      const slice = parsed?.header;
      cur.hasVcl = true;
      cur.slice = slice;
      cur.sps = slice ? this.#sps.get(this.#pps.get(slice.ppsId)!.spsId) : undefined;
      if (cur.nals.length === 0) cur.byteOffset = position;
    }
    if (parsed) cur.starts.push(parsed.header.sliceSegmentAddress);
    cur.nals.push({ type, bytes: nal });
  }

  /**
   * What the input's last slice segment NAL unit (parsed when its header
   * could be read) ends inside of, when it is cut short: its header, or its
   * substreams (SubstreamCheck).
   */
  #cutInside(nal: Uint8Array, parsed: ParsedSlice | undefined): string | undefined {
    if (parsed === undefined || parsed.headerCut) return 'a slice segment header';
    if (this.#substreams.isShort(nal, parsed.entryPoints)) {
      const { count, substreamBytes } = parsed.entryPoints!;
      return `a slice segment: its header says its first ${count} substreams take ${substreamBytes} bytes, the NAL unit has ${nal.length}`;
    }
    return undefined;
  }

  /**
   * The slice segment header: the fields timing needs (an EsParseError when
   * they cannot be read), then on to its entry points when the PPS could be
   * read that far. `headerCut`: the header ends before its entry points
   * (read from the whole NAL unit when its first bytes were not enough).
   */
  #parseSlice(nal: Uint8Array, type: number, temporalId: number, position: number): ParsedSlice {
    const sets = { sps: this.#sps, pps: this.#pps };
    let r = this.#rbsp.read(nal, position, 'slice segment header', HEADER_BYTES);
    const header = parseHevcSliceHeader(r, type, temporalId, sets);
    const ppsFields = this.#pps.get(header.ppsId)!.slice;
    const sps = this.#sps.get(this.#pps.get(header.ppsId)!.spsId)!;
    if (ppsFields === undefined) return { header, entryPoints: undefined, headerCut: false };
    for (const maxBytes of nal.length > HEADER_BYTES ? [HEADER_BYTES, nal.length] : [HEADER_BYTES]) {
      try {
        if (maxBytes !== HEADER_BYTES) {
          r = this.#rbsp.read(nal, position, 'slice segment header', maxBytes);
          parseHevcSliceHeader(r, type, temporalId, sets);
        }
        return { header, entryPoints: parseHevcEntryPoints(r, header, sps, ppsFields), headerCut: false };
      } catch (error) {
        if (!(error instanceof EsParseError)) throw error;
      }
    }
    return { header, entryPoints: undefined, headerCut: true };
  }

  #parseParameterSet(nal: Uint8Array, type: number, position: number): void {
    if (type === HevcNalType.Vps) {
      const vps = parseHevcVps(this.#rbsp.read(nal, position, 'VPS'));
      this.#vps.set(vps.vpsId, vps);
    } else if (type === HevcNalType.Sps) {
      const sps = parseHevcSps(this.#rbsp.read(nal, position, 'SPS'));
      this.#sps.set(sps.spsId, sps);
    } else {
      const pps = parseHevcPps(this.#rbsp.read(nal, position, 'PPS'));
      this.#pps.set(pps.ppsId, pps);
    }
  }

  /** `last`: the input ended after this picture (so its slices say nothing about the layout of complete pictures). */
  #complete(nextPosition: number, out: CodedPicture[], last = false): void {
    const cur = this.#cur;
    this.#cur = emptyPicture(nextPosition);
    const slice = cur.slice;
    const sps = cur.sps;
    if (!slice || !sps) {
      out.push(unparsedPicture(cur.nals, cur.byteOffset));
      return;
    }
    if (!last) this.#layout.complete(cur.starts);
    const type = slice.nalType;
    const irap = isHevcIrap(type);
    // 8.1.3: NoRaslOutputFlag is 1 for IDR, BLA, and a CRA that is first in the stream or after an end of sequence.
    const noRaslOutputFlag = irap && (isHevcIdr(type) || type <= 18 || this.#firstInSequence);
    if (irap) {
      this.#skipRasl = noRaslOutputFlag && !isHevcIdr(type);
      this.#firstInSequence = false;
    }
    const undecodable = isHevcRasl(type) && this.#skipRasl;
    const poc = undecodable ? 0 : this.#poc.compute(slice, sps.log2MaxPicOrderCntLsb, noRaslOutputFlag);
    out.push({
      nals: cur.nals,
      byteOffset: cur.byteOffset,
      randomAccess: irap || cur.recoveryPoint,
      flushBefore: noRaslOutputFlag,
      poc,
      reorder: Math.min(16, sps.maxNumReorderPics),
      timing: this.#timing(sps),
      parsed: true,
      undecodable,
    });
  }

  /** Picture duration: vui_num_units_in_tick / vui_time_scale (E.3.1, no field factor), else the VPS's. */
  #timing(sps: HevcSps): StreamTiming | undefined {
    if (sps.timing) {
      return {
        frameDuration: (TS_CLOCK * sps.timing.numUnitsInTick) / sps.timing.timeScale,
        from: 'SPS VUI',
      };
    }
    const vps = this.#vps.get(sps.vpsId);
    if (vps?.timing) {
      return { frameDuration: (TS_CLOCK * vps.timing.numUnitsInTick) / vps.timing.timeScale, from: 'VPS' };
    }
    return undefined;
  }
}

function emptyPicture(byteOffset: number): Picture {
  return {
    nals: [],
    byteOffset,
    slice: undefined,
    sps: undefined,
    hasVcl: false,
    recoveryPoint: false,
    starts: [],
  };
}
