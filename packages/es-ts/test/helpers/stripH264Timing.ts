import { BitReader } from '../../src/bitstream/BitReader.js';
import { unescapeRbsp } from '../../src/bitstream/unescapeRbsp.js';

/**
 * Test-only: an H.264 stream without VUI timing, which libx264 always
 * writes (and ffmpeg's h264_metadata cannot remove). Every SPS is rewritten
 * with timing_info_present_flag = 0 and without the 65 bits that follow it
 * (num_units_in_tick, time_scale, fixed_frame_rate_flag; ITU-T H.264 E.1.1);
 * every other bit is copied as it was.
 */
export function stripH264VuiTiming(stream: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const nal of nalUnits(stream)) {
    const bytes = (nal[0]! & 0x1f) === 7 ? stripSpsTiming(nal) : nal;
    out.push(0, 0, 0, 1, ...bytes); // zero_byte + start_code_prefix_one_3bytes
  }
  return Uint8Array.from(out);
}

/** NAL units between start codes, trailing zero bytes dropped. */
function nalUnits(stream: Uint8Array): Uint8Array[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  return starts.map((start, k) => {
    let end = k + 1 < starts.length ? starts[k + 1]! - 3 : stream.length;
    while (end > start && stream[end - 1] === 0) end--;
    return stream.subarray(start, end);
  });
}

/** An SPS NAL (header included, escaped) without timing_info; throws when the SPS has none. */
export function stripSpsTiming(nal: Uint8Array): Uint8Array {
  const scratch = { buffer: new Uint8Array(nal.length) };
  const length = unescapeRbsp(nal, scratch);
  const rbsp = scratch.buffer.subarray(0, length);
  const r = new BitReader(rbsp, { startByte: 1, what: 'SPS' });
  // seq_parameter_set_data() (7.3.2.1.1) up to vui_parameters()
  const profileIdc = r.u(8);
  r.u(16); // constraint_set flags, level_idc
  r.ue(); // seq_parameter_set_id
  if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profileIdc)) {
    if (r.ue() === 3) r.flag(); // chroma_format_idc, separate_colour_plane_flag
    r.ue(); // bit_depth_luma_minus8
    r.ue(); // bit_depth_chroma_minus8
    r.flag(); // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) throw new Error('seq_scaling_matrix_present_flag: not handled by this test helper');
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0)
    r.ue(); // log2_max_pic_order_cnt_lsb_minus4
  else if (pocType === 1) throw new Error('pic_order_cnt_type 1: not handled by this test helper');
  r.ue(); // max_num_ref_frames
  r.flag(); // gaps_in_frame_num_value_allowed_flag
  r.ue(); // pic_width_in_mbs_minus1
  r.ue(); // pic_height_in_map_units_minus1
  if (!r.flag()) r.flag(); // frame_mbs_only_flag, mb_adaptive_frame_field_flag
  r.flag(); // direct_8x8_inference_flag
  if (r.flag()) for (let i = 0; i < 4; i++) r.ue(); // frame_cropping_flag, offsets
  if (!r.flag()) throw new Error('no vui_parameters: nothing to strip');
  // vui_parameters() (E.1.1) up to timing_info_present_flag
  if (r.flag() && r.u(8) === 255) r.u(32); // aspect_ratio_info_present_flag, aspect_ratio_idc, sar
  if (r.flag()) r.flag(); // overscan_info_present_flag, overscan_appropriate_flag
  if (r.flag()) {
    r.u(4); // video_format, video_full_range_flag
    if (r.flag()) r.u(24); // colour_description_present_flag, primaries, transfer, matrix
  }
  if (r.flag()) {
    r.ue(); // chroma_sample_loc_type_top_field
    r.ue(); // chroma_sample_loc_type_bottom_field
  }
  const flagAt = r.position;
  if (!r.flag()) throw new Error('timing_info_present_flag is already 0');

  const w = new BitWriter();
  const bit = (i: number) => (rbsp[i >> 3]! >> (7 - (i & 7))) & 1;
  for (let i = 0; i < flagAt; i++) w.bit(bit(i));
  w.bit(0); // timing_info_present_flag
  // Skip num_units_in_tick (32), time_scale (32), fixed_frame_rate_flag (1); the rest, rbsp_trailing_bits included, as it was.
  let end = length * 8;
  while (end > 0 && bit(end - 1) === 0) end--; // the rbsp_stop_one_bit is the last 1
  for (let i = flagAt + 1 + 65; i < end; i++) w.bit(bit(i));
  w.bit(1); // rbsp_stop_one_bit
  while (w.bits % 8 !== 0) w.bit(0); // rbsp_alignment_zero_bit
  return escapeRbsp(w.bytes());
}

class BitWriter {
  readonly #bytes: number[] = [];
  bits = 0;

  bit(value: number): void {
    if (this.bits % 8 === 0) this.#bytes.push(0);
    if (value) this.#bytes[this.#bytes.length - 1]! |= 0x80 >> (this.bits % 8);
    this.bits++;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

/** Adds emulation_prevention_three_byte (7.4.1): 00 00 0x (x <= 3) -> 00 00 03 0x. */
function escapeRbsp(rbsp: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}
