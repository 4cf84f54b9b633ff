import { TS_CLOCK } from '@rec/es-ts';
import { PesTimestampPrefix, readPcr, readPesTimestamp, writePcr, writePesTimestamp } from '@rec/es-ts/ts';
import { describe, expect, it } from 'vitest';
import {
  type CompressedHole,
  compressTsHoles,
  resolveHoleLengths,
  TsHoleCompressor,
} from '../src/output/TsHoleCompressor.js';

const HOUR = 3600 * TS_CLOCK;
const VIDEO_PID = 0x100;

/** One TS packet starting a video PES (ISO/IEC 13818-1 2.4.3.2, 2.4.3.6), with a PCR when given. */
function videoPacket(pts: number, dts: number, pcr?: number): Uint8Array {
  const b = new Uint8Array(188).fill(0xff);
  b[0] = 0x47; // sync_byte
  b[1] = 0x40 | (VIDEO_PID >> 8); // payload_unit_start_indicator, PID[12..8]
  b[2] = VIDEO_PID & 0xff; // PID[7..0]
  let at = 4;
  if (pcr === undefined) {
    b[3] = 0x10; // adaptation_field_control '01': payload only
  } else {
    b[3] = 0x30; // adaptation_field_control '11'
    b[4] = 7; // adaptation_field_length
    b[5] = 0x10; // PCR_flag
    writePcr(b, 6, pcr);
    at = 12;
  }
  b.set([0x00, 0x00, 0x01, 0xe0, 0x00, 0x00], at); // packet_start_code_prefix, stream_id, PES_packet_length
  b[at + 6] = 0x80; // '10', no scrambling
  b[at + 7] = 0xc0; // PTS_DTS_flags '11'
  b[at + 8] = 10; // PES_header_data_length
  writePesTimestamp(b, at + 9, PesTimestampPrefix.PtsWithDts, pts);
  writePesTimestamp(b, at + 14, PesTimestampPrefix.Dts, dts);
  return b;
}

/** A PAT-like packet on PID 0 (never dropped). */
function psiPacket(): Uint8Array {
  const b = new Uint8Array(188).fill(0xff);
  b.set([0x47, 0x40, 0x00, 0x10, 0x00, 0x00, 0xb0]); // sync, PUSI + PID 0, payload, pointer_field, table_id, flags
  return b;
}

async function run(packets: Uint8Array[], compressor: TsHoleCompressor, chunk = 100): Promise<Uint8Array> {
  const all = new Uint8Array(packets.length * 188);
  for (const [i, packet] of packets.entries()) all.set(packet, i * 188);
  async function* chunks() {
    for (let at = 0; at < all.length; at += chunk) yield all.slice(at, at + chunk); // not packet-aligned
  }
  const out: Uint8Array[] = [];
  for await (const part of compressTsHoles(chunks(), compressor)) out.push(part.slice());
  const joined = new Uint8Array(out.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of out) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/** [pts, dts, pcr base] of each video packet. */
function times(ts: Uint8Array): [number, number, number | undefined][] {
  const found: [number, number, number | undefined][] = [];
  for (let at = 0; at < ts.length; at += 188) {
    if (((((ts[at + 1] as number) & 0x1f) << 8) | (ts[at + 2] as number)) !== VIDEO_PID) continue;
    const hasPcr = ts[at + 3] === 0x30;
    const pes = at + (hasPcr ? 12 : 4);
    found.push([
      readPesTimestamp(ts, pes + 9),
      readPesTimestamp(ts, pes + 14),
      hasPcr ? Math.floor(readPcr(ts, at + 6) / 300) : undefined,
    ]);
  }
  return found;
}

const options = {
  threshold: HOUR,
  keep: 10 * TS_CLOCK,
  quantum: 180,
  startPts: 0,
  compress: true,
  dropBeforeStart: true,
};

describe('TsHoleCompressor', () => {
  it('takes a long hole out of PTS, DTS and PCR, in chunks that split packets, and says where', async () => {
    const compressor = new TsHoleCompressor(options);
    const hole = 30 * HOUR + 12_345; // longer than the 26.5 h a TS can count
    const out = await run(
      [
        psiPacket(),
        videoPacket(3600, 0, 0),
        videoPacket(7200, 3600),
        videoPacket(hole + 3600, hole, hole - 900), // wrapped by the TS: what the writer puts there
        videoPacket(hole + 7200, hole + 3600),
      ].map((packet) => packet),
      compressor,
    );
    // The TS carried the hole modulo 2^33; what ffmpeg gets is a jump of about 10 s.
    const wrapped = hole % 2 ** 33;
    const removed = Math.floor((wrapped - 900 - 7200 - 10 * TS_CLOCK) / 180) * 180; // from the last PTS before it
    expect(times(out)).toEqual([
      [3600, 0, 0],
      [7200, 3600, undefined],
      [wrapped + 3600 - removed, wrapped - removed, wrapped - 900 - removed],
      [wrapped + 7200 - removed, wrapped + 3600 - removed, undefined],
    ]);
    expect(compressor.holes).toEqual<CompressedHole[]>([
      { sample: 2, removed, pts: wrapped + 3600, realPts: wrapped + 3600 },
    ]);
    expect(compressor.videoSamples).toBe(4);
    // The writer's own first PTS of the second segment gives the hole its missing wrap back.
    expect(resolveHoleLengths(compressor.holes, [3600, hole + 3600])).toEqual([
      { sample: 2, removed: removed + 2 ** 33 },
    ]);
    expect(resolveHoleLengths(compressor.holes, undefined)).toEqual([{ sample: 2, removed }]);
  });

  it('drops what lies before a gap before the window start, keeping PSI', async () => {
    const compressor = new TsHoleCompressor({ ...options, startPts: 100 * TS_CLOCK, compress: false });
    const out = await run(
      [psiPacket(), videoPacket(3600, 0, 0), videoPacket(99 * TS_CLOCK, 98 * TS_CLOCK, 97 * TS_CLOCK)],
      compressor,
    );
    expect(out.length).toBe(2 * 188);
    expect(out[2]).toBe(0x00); // PID 0 first
    expect(times(out)).toEqual([[99 * TS_CLOCK, 98 * TS_CLOCK, 97 * TS_CLOCK]]);
    expect([compressor.videoSamples, compressor.droppedSamples]).toEqual([1, 1]);
  });

  it('refuses more than about 25 h without a hole: ffmpeg cannot read the TS timestamps', async () => {
    const compressor = new TsHoleCompressor(options);
    const packets = Array.from({ length: 60 }, (_, k) => videoPacket(k * HOUR * 0.5 + 3600, k * HOUR * 0.5));
    await expect(run(packets, compressor, 188)).rejects.toMatchObject({
      name: 'MuxError',
      code: 'MUX_TIMELINE_TOO_LONG',
    });
  });
});
