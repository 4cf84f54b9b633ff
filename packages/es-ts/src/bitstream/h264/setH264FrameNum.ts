import { BitReader } from '../BitReader.js';
import { findStartCode } from '../findStartCode.js';
import { unescapeRbsp } from '../unescapeRbsp.js';
import { H264NalType } from './H264NalType.js';
import { parseH264Pps } from './parseH264Pps.js';
import { parseH264Sps } from './parseH264Sps.js';

/** Slice header bytes looked at: frame_num ends well within them (three ue(v), 2 bits, 16 bits at most). */
const HEADER_BYTES = 24;

/**
 * A copy of an H.264 Annex-B stream whose non-IDR slices carry `frameNum`
 * (modulo MaxFrameNum) as frame_num (ITU-T H.264 7.4.3), for a decoder's
 * check of one picture taken out of its stream (`findLastPicture`'s probe).
 * Decoded alone, a P or B picture has none of its references; a decoder
 * stands in for them when frame_num jumps (ffmpeg conceals a frame_num gap
 * with frames of its own), but a picture whose frame_num follows on from 0
 * (0 or 1) shows no gap, and ffmpeg then drops it at its slice header
 * (`Missing reference picture`) without reading its slice data. Slice data
 * does not depend on frame_num, so the check reads the same bits. Slices
 * whose header cannot be rewritten in place (an emulation prevention byte
 * among its first bytes, parameter sets missing or unreadable) are left as
 * they are; the picture's bytes are otherwise unchanged.
 */
export function setH264FrameNum(stream: Uint8Array, frameNum: number): Uint8Array {
  const out = new Uint8Array(stream);
  const frameNumBits = new Map<number, { bits: number; colourPlane: boolean }>();
  const spsOfPps = new Map<number, number>();
  const scratch = { buffer: new Uint8Array(HEADER_BYTES) };
  let at = findStartCode(out, 0);
  while (at >= 0) {
    const header = at + 3;
    const next = findStartCode(out, header);
    const nal = out.subarray(header, next < 0 ? out.length : next);
    at = next;
    if (nal.length < 2) continue;
    const type = nal[0]! & 0x1f;
    try {
      if (type === H264NalType.Sps) {
        const sps = parseH264Sps(rbsp(nal, scratch, nal.length));
        frameNumBits.set(sps.spsId, { bits: sps.log2MaxFrameNum, colourPlane: sps.separateColourPlane });
      } else if (type === H264NalType.Pps) {
        const pps = parseH264Pps(rbsp(nal, scratch, nal.length));
        spsOfPps.set(pps.ppsId, pps.spsId);
      } else if (type === H264NalType.NonIdrSlice || type === H264NalType.SliceDataA) {
        rewriteFrameNum(nal, frameNum, scratch, (ppsId) => frameNumBits.get(spsOfPps.get(ppsId) ?? -1));
      }
    } catch {
      // An unreadable parameter set or header: that NAL stays as it is.
    }
  }
  return out;
}

function rbsp(nal: Uint8Array, scratch: { buffer: Uint8Array }, max: number): BitReader {
  const length = unescapeRbsp(nal, scratch, max);
  return new BitReader(scratch.buffer, { length, startByte: 1 });
}

/** Writes frame_num into a slice NAL in place, unless the bytes it would touch hold emulation prevention. */
function rewriteFrameNum(
  nal: Uint8Array,
  frameNum: number,
  scratch: { buffer: Uint8Array },
  spsOf: (ppsId: number) => { bits: number; colourPlane: boolean } | undefined,
): void {
  const limit = Math.min(HEADER_BYTES, nal.length);
  // With no emulation prevention byte among them, RBSP bit positions are the NAL's.
  if (unescapeRbsp(nal, scratch, limit) !== limit || hasEscape(nal, limit)) return;
  const r = new BitReader(scratch.buffer, { length: limit, startByte: 1 });
  r.ue('first_mb_in_slice');
  r.ue('slice_type');
  const sps = spsOf(r.ue('pic_parameter_set_id'));
  if (!sps) return;
  if (sps.colourPlane) r.skip(2, 'colour_plane_id');
  const from = r.position;
  if (from + sps.bits > limit * 8) return;
  const value = frameNum & ((1 << sps.bits) - 1);
  const before = nal.slice(0, limit);
  for (let bit = 0; bit < sps.bits; bit++) {
    const pos = from + bit;
    const mask = 0x80 >> (pos & 7);
    if ((value >> (sps.bits - 1 - bit)) & 1) nal[pos >> 3]! |= mask;
    else nal[pos >> 3]! &= ~mask;
  }
  // The new bits must not form a start code or an emulation pattern (00 00 0x, x <= 3).
  if (hasEscape(nal, limit)) nal.set(before);
}

function hasEscape(bytes: Uint8Array, limit: number): boolean {
  for (let i = 2; i < limit; i++) if (bytes[i - 2] === 0 && bytes[i - 1] === 0 && bytes[i]! <= 3) return true;
  return false;
}
