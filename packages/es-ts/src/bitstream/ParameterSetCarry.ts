import { Codec, type NalUnit } from '../types.js';
import { H264NalType } from './h264/H264NalType.js';
import { HevcNalType } from './hevc/HevcNalType.js';

/**
 * Parameter set NAL types (H.264 Table 7-1: SPS, SPS extension, subset SPS,
 * PPS; H.265 Table 7-1: VPS, SPS, PPS) and the AUD, which must stay first in
 * its access unit (H.264 7.4.1.2.3, H.265 7.4.2.4.4).
 */
const TYPES = {
  [Codec.H264]: {
    aud: H264NalType.Aud,
    parameterSets: [H264NalType.Sps, H264NalType.SpsExtension, H264NalType.SubsetSps, H264NalType.Pps],
  },
  [Codec.Hevc]: { aud: HevcNalType.Aud, parameterSets: [HevcNalType.Vps, HevcNalType.Sps, HevcNalType.Pps] },
} as const;

/** Bounds on what is carried, so a stream of garbage "parameter sets" cannot grow memory. */
const MAX_NALS = 64;
const MAX_BYTES = 1 << 20;

/**
 * The parameter sets of pictures that are dropped (before the first
 * keyframe, RASL pictures, pictures a window or an overlap leaves out), kept
 * for the next picture that is written. A stream cut mid-GOP carries its
 * SPS/PPS (VPS) with its first, undecodable, pictures; without them the first
 * keyframe cannot be decoded ("non-existing PPS 0 referenced").
 *
 * Parameter sets may precede any access unit (H.264 7.4.1.2.3, H.265
 * 7.4.2.4.4), and a later one with the same id replaces an earlier one, so
 * they are kept in stream order, a repeated identical one moved to the end.
 * The bytes are copied: the dropped pictures' memory may be reused.
 */
export class ParameterSetCarry {
  readonly #aud: number;
  readonly #types: readonly number[];
  #nals: NalUnit[] = [];
  #bytes = 0;

  constructor(codec: Codec) {
    this.#aud = TYPES[codec].aud;
    this.#types = TYPES[codec].parameterSets;
  }

  get size(): number {
    return this.#nals.length;
  }

  /** Keeps (copies of) the parameter sets among the NAL units of a picture that is not written. */
  keep(nals: readonly NalUnit[]): void {
    for (const nal of nals) {
      if (!this.#types.includes(nal.type)) continue;
      const known = this.#nals.findIndex((kept) => sameBytes(kept.bytes, nal.bytes));
      if (known >= 0) {
        this.#nals.push(...this.#nals.splice(known, 1));
        continue;
      }
      this.#nals.push({ type: nal.type, bytes: nal.bytes.slice() });
      this.#bytes += nal.bytes.length;
      while (this.#nals.length > MAX_NALS || this.#bytes > MAX_BYTES) {
        this.#bytes -= this.#nals.shift()!.bytes.length;
      }
    }
  }

  /**
   * The NAL units of the picture to write with the kept parameter sets ahead
   * of everything but its AUD, leaving out those it carries itself; empties
   * the carry. Returns `nals` itself when nothing is kept.
   */
  prepend(nals: NalUnit[]): NalUnit[] {
    if (this.#nals.length === 0) return nals;
    const kept = this.#nals.filter((ps) => !nals.some((nal) => sameBytes(nal.bytes, ps.bytes)));
    this.#nals = [];
    this.#bytes = 0;
    if (kept.length === 0) return nals;
    const auds = nals[0]?.type === this.#aud ? 1 : 0;
    return [...nals.slice(0, auds), ...kept, ...nals.slice(auds)];
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
