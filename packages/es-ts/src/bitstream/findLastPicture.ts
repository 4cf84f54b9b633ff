import { Codec } from '../types.js';
import { findStartCode } from './findStartCode.js';
import { H264NalType } from './h264/H264NalType.js';
import { HevcNalType } from './hevc/HevcNalType.js';

/** The last coded picture of an Annex-B stream, and a stream that decodes it on its own. */
export interface LastPicture {
  /** Offset in the stream of the picture's first byte: the start code of its first NAL (AUD, SEI or slice). */
  offset: number;
  /**
   * Annex-B: every distinct parameter set the stream carried before the
   * picture (in the order last seen), then the picture's own NAL units. A
   * decoder given this alone parses the whole picture (its references are
   * missing, so its pixels are not the stream's, but its slice data is
   * read to the end, which is what a check for a cut needs).
   */
  probe: Uint8Array;
  /** Bytes from `offset` to the end of the stream. */
  bytes: number;
  /**
   * The probe holds a parameter set of every kind the picture needs (H.264
   * SPS and PPS; H.265 VPS, SPS and PPS). Without them (a segment that
   * relies on an earlier one's) no decoder can read it alone.
   */
  decodable: boolean;
}

/** Distinct parameter sets kept for the probe; a stream cycling through more is unusual. */
const MAX_PARAMETER_SETS = 64;
const START_CODE = new Uint8Array([0, 0, 0, 1]);

/**
 * Finds the last picture of an H.264 / H.265 Annex-B stream (undefined when
 * there is none): where it starts, and a probe for a decoder. A stream cut
 * inside its last slice (an upload cut short) shows nothing in any header:
 * only decoding the slice data finds that its macroblocks stop short, so
 * callers hand the probe to a decoder. Only NAL headers and the first bits
 * of slices are read (a picture starts at a slice with first_mb_in_slice 0
 * or first_slice_segment_in_pic_flag set; the AUD, SEI and parameter sets
 * right before it belong to it).
 */
export function findLastPicture(stream: Uint8Array, codec: Codec): LastPicture | undefined {
  const hevc = codec === Codec.Hevc;
  const sets: Uint8Array[] = [];
  /** Parameter set kinds (bit per type) inside the last picture's own access unit. */
  let kindsInPicture = 0;
  let pictureStart = -1;
  /** Start of the first non-VCL NAL after the last VCL NAL: where the next access unit would begin. */
  let pendingStart = -1;
  let pendingKinds = 0;
  let at = findStartCode(stream, 0);
  while (at >= 0) {
    const header = at + 3;
    const next = findStartCode(stream, header);
    const end = next < 0 ? stream.length : next;
    if (header < end) {
      const type = nalType(stream, header, hevc);
      // A 4-byte start code's leading zero_byte belongs to this NAL's start.
      const codeStart = at > 0 && stream[at - 1] === 0 ? at - 1 : at;
      if (isVcl(type, hevc)) {
        const firstByte = stream[header + (hevc ? 2 : 1)];
        if (startsPicture(type, hevc) && firstByte !== undefined && (firstByte & 0x80) !== 0) {
          pictureStart = pendingStart >= 0 ? pendingStart : codeStart;
          kindsInPicture = pendingKinds;
        }
        pendingStart = -1;
        pendingKinds = 0;
      } else {
        if (pendingStart < 0) pendingStart = codeStart;
        if (isParameterSet(type, hevc)) {
          keepSet(sets, trimTrailingZeros(stream, header, end));
          pendingKinds |= kindBit(type);
        }
      }
    }
    at = next;
  }
  if (pictureStart < 0) return undefined;
  // Parameter sets inside the picture's own access unit travel with it.
  const before = sets.filter((set) => set.byteOffset - stream.byteOffset < pictureStart);
  const tail = stream.subarray(pictureStart);
  let size = tail.length;
  for (const set of before) size += START_CODE.length + set.length;
  const probe = new Uint8Array(size);
  let kinds = kindsInPicture;
  let put = 0;
  for (const set of before) {
    kinds |= kindBit(nalType(set, 0, hevc));
    probe.set(START_CODE, put);
    probe.set(set, put + START_CODE.length);
    put += START_CODE.length + set.length;
  }
  probe.set(tail, put);
  const needed = hevc
    ? kindBit(HevcNalType.Vps) | kindBit(HevcNalType.Sps) | kindBit(HevcNalType.Pps)
    : kindBit(H264NalType.Sps) | kindBit(H264NalType.Pps);
  return { offset: pictureStart, probe, bytes: tail.length, decodable: (kinds & needed) === needed };
}

function nalType(bytes: Uint8Array, at: number, hevc: boolean): number {
  return hevc ? (bytes[at]! >> 1) & 0x3f : bytes[at]! & 0x1f;
}

/** One bit per parameter set kind (H.265's types 32..34 fold onto bits 0..2). */
function kindBit(type: number): number {
  return 1 << (type & 31);
}

function isVcl(type: number, hevc: boolean): boolean {
  return hevc ? type < 32 : type >= H264NalType.NonIdrSlice && type <= H264NalType.IdrSlice;
}

/** Slice partitions B and C (H.264 types 3, 4) carry no first_mb_in_slice. */
function startsPicture(type: number, hevc: boolean): boolean {
  return (
    hevc ||
    type === H264NalType.NonIdrSlice ||
    type === H264NalType.SliceDataA ||
    type === H264NalType.IdrSlice
  );
}

function isParameterSet(type: number, hevc: boolean): boolean {
  return hevc
    ? type === HevcNalType.Vps || type === HevcNalType.Sps || type === HevcNalType.Pps
    : type === H264NalType.Sps ||
        type === H264NalType.Pps ||
        type === H264NalType.SpsExtension ||
        type === H264NalType.SubsetSps;
}

/** NAL bytes without the trailing_zero_8bits (or the next start code's zero_byte) after them. */
function trimTrailingZeros(stream: Uint8Array, from: number, end: number): Uint8Array {
  let last = end;
  while (last > from && stream[last - 1] === 0) last--;
  return stream.subarray(from, last);
}

/** Adds a parameter set, moving an identical one seen before to the end (the latest wins for its id). */
function keepSet(sets: Uint8Array[], set: Uint8Array): void {
  const same = sets.findIndex((known) => equalBytes(known, set));
  if (same >= 0) sets.splice(same, 1);
  else if (sets.length === MAX_PARAMETER_SETS) sets.shift();
  sets.push(set);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return Buffer.compare(a, b) === 0;
}
