import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TsWriter } from '../../src/ts/TsWriter.js';
import type { AccessUnit, NalUnit } from '../../src/types.js';

/**
 * Byte-exact regression: a fixed synthetic stream through TsWriter, hashed.
 * The golden hashes were taken from the writer before its packetizer was
 * rewritten (two copies per byte -> one), whose output ffprobe, ffmpeg and
 * tsreport had checked; any change to the bytes it writes fails here.
 */

/** xorshift32: the same bytes on every machine. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function nal(next: () => number, header: number, length: number): NalUnit {
  const bytes = new Uint8Array(length);
  bytes[0] = header;
  for (let i = 1; i < length; i++) bytes[i] = next() & 0xff;
  return { type: header & 0x1f, bytes };
}

/**
 * 700 H.264 access units: payload sizes walk through every remainder modulo
 * the 184-byte payload (first packet with and without PCR), plus a few large
 * ones (one bigger than the writer's 1 MiB slab); keyframes with and without
 * parameter sets and AUDs; B-frame timestamps; a 3 s gap (PCR bridges) and a
 * backward jump (discontinuity).
 */
function syntheticAccessUnits(): AccessUnit[] {
  const next = random(0x5eed);
  const aus: AccessUnit[] = [];
  let dts = 126_000 - 7200;
  for (let i = 0; i < 700; i++) {
    const keyframe = i % 50 === 0;
    const nals: NalUnit[] = [];
    if (i % 3 === 0) nals.push({ type: 9, bytes: Uint8Array.of(0x09, 0xf0) });
    if (keyframe && i % 100 === 0) nals.push(nal(next, 0x67, 12 + (i % 7)), nal(next, 0x68, 4));
    let size = 1 + ((i * 37) % 600);
    if (i === 10) size = 40_000;
    if (i === 300) size = 1_500_000;
    if (i === 450) size = 250_000;
    nals.push(nal(next, keyframe ? 0x65 : i % 4 === 1 ? 0x41 : 0x01, size));
    if (i % 11 === 0) nals.push(nal(next, 0x01, 1 + (i % 200)));
    if (i === 400) dts += 270_000; // 3 s gap: PCR-only bridge packets
    if (i === 600) dts -= 900_000; // backward step: discontinuity_indicator
    const pts = keyframe || i % 4 === 1 ? dts + 7200 : dts + 3600;
    aus.push({ codec: 'h264', nals, keyframe, pts, dts, duration: 3600, byteOffset: 0 });
    dts += 3600;
  }
  return aus;
}

/** An ADTS frame (AAC LC, 48 kHz, stereo) of `length` bytes with random payload. */
function adtsFrame(next: () => number, length: number): Uint8Array {
  const frame = new Uint8Array(length);
  frame[0] = 0xff; // syncword
  frame[1] = 0xf1; // syncword, ID 0, layer 00, protection_absent 1
  frame[2] = (1 << 6) | (3 << 2); // profile 1 (LC), sampling_frequency_index 3 (48 kHz), private 0, channel_configuration[2] 0
  frame[3] = (2 << 6) | ((length >> 11) & 0x03); // channel_configuration 2, aac_frame_length[12..11]
  frame[4] = (length >> 3) & 0xff; // aac_frame_length[10..3]
  frame[5] = ((length & 0x07) << 5) | 0x1f; // aac_frame_length[2..0], adts_buffer_fullness 0x7FF
  frame[6] = 0xfc; // adts_buffer_fullness, number_of_raw_data_blocks_in_frame 0
  for (let i = 7; i < length; i++) frame[i] = next() & 0xff;
  return frame;
}

const sha256 = (parts: readonly Uint8Array[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('TsWriter output is byte-identical to the reference', () => {
  it('video only', () => {
    const writer = new TsWriter({ codec: 'h264' });
    const parts = syntheticAccessUnits().map((au) => writer.writeVideo(au));
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(GOLDEN.videoBytes);
    expect(sha256(parts)).toBe(GOLDEN.video);
  });

  it('video and audio interleaved, and audio only', () => {
    const next = random(0xadd5);
    const aus = syntheticAccessUnits();
    const av = new TsWriter({ codec: 'h264', audio: true });
    const audioOnly = new TsWriter({ codec: 'h264', video: false, audio: true });
    const avParts: Uint8Array[] = [];
    const audioParts: Uint8Array[] = [];
    let audioPts = 126_000;
    for (const [i, au] of aus.entries()) {
      avParts.push(av.writeVideo(au));
      if (i % 2 === 0 && i < 390) {
        const frame = adtsFrame(next, 7 + ((i * 13) % 700));
        avParts.push(av.writeAudio({ bytes: frame, pts: audioPts }));
        audioParts.push(audioOnly.writeAudio({ bytes: frame, pts: audioPts }));
        audioPts += 1920;
      }
    }
    expect(sha256(avParts)).toBe(GOLDEN.audioVideo);
    expect(sha256(audioParts)).toBe(GOLDEN.audioOnly);
  });
});

const GOLDEN = {
  videoBytes: 2290780,
  video: 'e11c359e69094f98f4bc8e9403862e5a7970385e0b0edb8e3ea4379748f1d302',
  audioVideo: 'b01264785e229d8aee6243f0159707f3c65b7cfec14c4284abb5bb6a4a0fa9ea',
  audioOnly: 'b4f676c0ae5e7399daad873991b83fe098b316db41c3678c38fc19f138ae4330',
} as const;
