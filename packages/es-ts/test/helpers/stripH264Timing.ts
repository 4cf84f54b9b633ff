import { BitReader } from '../../src/bitstream/BitReader.js';
import { parseH264Sps } from '../../src/bitstream/h264/parseH264Sps.js';
import { unescapeRbsp } from '../../src/bitstream/unescapeRbsp.js';
import { splitAnnexB } from '../ts/fixtures.js';

/**
 * Test-only: an H.264 stream without VUI timing, which libx264 always
 * writes (and ffmpeg's h264_metadata cannot remove). Every SPS is rewritten
 * with timing_info_present_flag = 0 and without the 65 bits that follow it
 * (num_units_in_tick, time_scale, fixed_frame_rate_flag; ITU-T H.264 E.1.1);
 * every other bit is copied as it was.
 */
export function stripH264VuiTiming(stream: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const { type, bytes } of splitAnnexB(stream, 'h264')) {
    out.push(0, 0, 0, 1, ...(type === 7 ? stripSpsTiming(bytes) : bytes)); // zero_byte + start_code_prefix_one_3bytes
  }
  return Uint8Array.from(out);
}

/** An SPS NAL (header included, escaped) without timing_info; throws when the SPS has none. */
function stripSpsTiming(nal: Uint8Array): Uint8Array {
  const scratch = { buffer: new Uint8Array(nal.length) };
  const length = unescapeRbsp(nal, scratch);
  const rbsp = scratch.buffer.subarray(0, length);
  // The package's own parser says where timing_info_present_flag is.
  const sps = parseH264Sps(new BitReader(rbsp, { startByte: 1, what: 'SPS' }));
  const flagAt = sps.timingInfoFlagBit;
  if (flagAt === undefined) throw new Error('no vui_parameters: nothing to strip');
  if (!sps.timing) throw new Error('timing_info_present_flag is already 0');

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
