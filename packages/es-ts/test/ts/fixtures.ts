import { readFile } from 'node:fs/promises';
import { type ProbePacket, probePackets, testVideoEncoder } from '@rec/test-support';
import type { AccessUnit, Codec, NalUnit } from '../../src/types.js';
import { makeTruth } from '../helpers/truth.js';

/**
 * Test-only Annex-B split (the real scanner lives in src/bitstream): NAL
 * units between start codes, trailing zero bytes dropped.
 */
export function splitAnnexB(bytes: Uint8Array, codec: Codec): NalUnit[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  const nals: NalUnit[] = [];
  for (const [k, start] of starts.entries()) {
    let end = k + 1 < starts.length ? starts[k + 1]! - 3 : bytes.length;
    while (end > start && bytes[end - 1] === 0) end--;
    const nal = bytes.subarray(start, end);
    nals.push({ type: codec === 'h264' ? nal[0]! & 0x1f : (nal[0]! >> 1) & 0x3f, bytes: nal });
  }
  return nals;
}

export const audType = (codec: Codec): number => (codec === 'h264' ? 9 : 35);

export interface VideoFixture {
  /** The TS ffmpeg wrote: the timestamp truth. */
  ts: string;
  /** The same video as a raw Annex-B file. */
  es: string;
  packets: ProbePacket[];
  /** Access units split at AUDs, with PTS/DTS/keyframe from ffprobe. */
  aus: AccessUnit[];
}

/** Encodes `seconds` of testsrc2 (160x90, 25 fps, GOP 25) with B-frames and AUDs, as TS and raw. */
export async function makeVideoFixture(
  dir: string,
  codec: Codec,
  options: { seconds?: number; bframes?: number } = {},
): Promise<VideoFixture> {
  const { seconds = 2, bframes = 2 } = options;
  const { ts, es } = await makeTruth(dir, `src-${codec}`, {
    codec,
    seconds,
    size: '160x90',
    keepAuds: true,
    // x265 opens its GOPs by default (CRA pictures): keep that, x264's are closed.
    encoder: testVideoEncoder({ codec, gop: 25, bframes, aud: true, openGop: codec === 'hevc' }),
  });
  const packets = await probePackets(ts, 'v:0');
  const nals = splitAnnexB(new Uint8Array(await readFile(es)), codec);
  const groups: NalUnit[][] = [];
  for (const nal of nals) {
    if (nal.type === audType(codec) || groups.length === 0) groups.push([]);
    groups.at(-1)!.push(nal);
  }
  if (groups.length !== packets.length) {
    throw new Error(`split ${groups.length} access units, ffprobe has ${packets.length} packets`);
  }
  const aus = groups.map((group, i): AccessUnit => {
    const p = packets[i]!;
    return {
      codec,
      nals: group,
      keyframe: p.flags.includes('K'),
      pts: p.pts!,
      dts: p.dts!,
      duration: p.duration ?? 3600,
      byteOffset: 0,
    };
  });
  return { ts, es, packets, aus };
}

/** The Annex-B bytes the writer should emit for `nals` (4-byte start code first and on parameter sets). */
export function annexB(nals: readonly NalUnit[], codec: Codec): Uint8Array {
  const ps = codec === 'h264' ? [7, 8] : [32, 33, 34];
  const parts: number[] = [];
  for (const [i, nal] of nals.entries()) {
    if (i === 0 || nal.type === audType(codec) || ps.includes(nal.type)) parts.push(0);
    parts.push(0, 0, 1, ...nal.bytes);
  }
  return Uint8Array.from(parts);
}

/** Concatenates arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
