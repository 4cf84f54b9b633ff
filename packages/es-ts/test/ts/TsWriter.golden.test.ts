import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, type ProbePacket, probePackets, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TsWriter } from '../../src/ts/TsWriter.js';
import type { AccessUnit, AudioFrame, NalUnit } from '../../src/types.js';

/**
 * Byte-exact regression: a fixed synthetic stream through TsWriter, hashed.
 * The golden hashes were taken from the writer before its packetizer was
 * rewritten (two copies per byte -> one), whose output ffprobe, ffmpeg and
 * tsreport had checked; any change to the bytes it writes fails here.
 * The hashes only say the bytes did not change; ffprobe, reading the same
 * bytes, says they carry what the writer was given.
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

/** The three locked streams: video only, video and audio interleaved, audio only, with the input of each. */
function writeStreams(): {
  aus: AccessUnit[];
  frames: AudioFrame[];
  video: Uint8Array[];
  audioVideo: Uint8Array[];
  audioOnly: Uint8Array[];
} {
  const videoWriter = new TsWriter({ codec: 'h264' });
  const video = syntheticAccessUnits().map((au) => videoWriter.writeVideo(au));
  const next = random(0xadd5);
  const aus = syntheticAccessUnits();
  const av = new TsWriter({ codec: 'h264', audio: true });
  const audioOnlyWriter = new TsWriter({ codec: 'h264', video: false, audio: true });
  const audioVideo: Uint8Array[] = [];
  const audioOnly: Uint8Array[] = [];
  const frames: AudioFrame[] = [];
  let audioPts = 126_000;
  for (const [i, au] of aus.entries()) {
    audioVideo.push(av.writeVideo(au));
    if (i % 2 === 0 && i < 390) {
      const frame = { bytes: adtsFrame(next, 7 + ((i * 13) % 700)), pts: audioPts };
      frames.push(frame);
      audioVideo.push(av.writeAudio(frame));
      audioOnly.push(audioOnlyWriter.writeAudio(frame));
      audioPts += 1920;
    }
  }
  return { aus, frames, video, audioVideo, audioOnly };
}

describe('TsWriter output is byte-identical to the reference', () => {
  it('video only', () => {
    const { video } = writeStreams();
    expect(video.reduce((n, p) => n + p.length, 0)).toBe(GOLDEN.videoBytes);
    expect(sha256(video)).toBe(GOLDEN.video);
  });

  it('video and audio interleaved, and audio only', () => {
    const { audioVideo, audioOnly } = writeStreams();
    expect(sha256(audioVideo)).toBe(GOLDEN.audioVideo);
    expect(sha256(audioOnly)).toBe(GOLDEN.audioOnly);
  });
});

interface PacketView {
  pts: number | undefined;
  dts: number | undefined;
  size: number;
  keyframe: boolean;
}

const view = (p: ProbePacket): PacketView => ({
  pts: p.pts,
  dts: p.dts,
  size: Number(p.size),
  keyframe: p.flags.includes('K'),
});

const AUD = { type: 9, bytes: Uint8Array.of(0x09, 0xf0) } as const;

/**
 * What a reader of the TS should find per access unit: the input's PTS, DTS
 * and keyframe flag, and its NALs as Annex B plus what the writer promises to
 * add (an AUD where the AU has none; on a keyframe, the last SPS/PPS it lacks).
 */
function expectedVideo(aus: readonly AccessUnit[]): PacketView[] {
  const stored = new Map<number, NalUnit[]>();
  return aus.map((au) => {
    const added: NalUnit[] = au.nals.some((nal) => nal.type === 9) ? [] : [AUD];
    for (const type of [7, 8]) {
      const own = au.nals.filter((nal) => nal.type === type);
      if (own.length > 0) stored.set(type, own);
      else if (au.keyframe) added.push(...(stored.get(type) ?? []));
    }
    // ITU-T H.264 B.1.2: a 4-byte start code (zero_byte) on the first NAL, AUDs and parameter sets.
    const size = [...added, ...au.nals].reduce(
      (n, nal, i) => n + (i === 0 || [7, 8, 9].includes(nal.type) ? 4 : 3) + nal.bytes.length,
      0,
    );
    return { pts: au.pts, dts: au.dts, size, keyframe: au.keyframe };
  });
}

/**
 * ffprobe's video packets, one per PES. ffmpeg's H.264 parser re-cuts the
 * stream where the bytes look like the first slice of a new picture, and
 * these payloads are random: where it cuts inside a PES, the piece it cuts
 * off has no timestamps and joins the packet before it here.
 */
function videoPerPes(packets: readonly ProbePacket[]): PacketView[] {
  const out: PacketView[] = [];
  for (const p of packets.map(view)) {
    const last = out.at(-1);
    if (p.pts === undefined && last) last.size += p.size;
    else out.push(p);
  }
  return out;
}

/**
 * Where an AU ends in a slice NAL of its header byte alone (AUs 0 and 600),
 * ffmpeg's parser reads the next AU's first bytes as that slice's header and
 * misses the start code there: the next AU's 6-byte AUD (`00 00 00 01 09 F0`,
 * first in every AU the writer writes) counts in the earlier packet.
 */
function asFfmpegCuts(aus: readonly AccessUnit[], expected: PacketView[]): PacketView[] {
  const out = expected.map((p) => ({ ...p }));
  for (let i = 0; i + 1 < aus.length; i++) {
    const last = aus[i]!.nals.at(-1)!;
    if ((last.type === 1 || last.type === 5) && last.bytes.length === 1) {
      out[i]!.size += 6;
      out[i + 1]!.size -= 6;
    }
  }
  return out;
}

/** Every ADTS frame one packet: its PTS (DTS the same), its length, a keyframe. */
const expectedAudio = (frames: readonly AudioFrame[]): PacketView[] =>
  frames.map((f) => ({ pts: f.pts, dts: f.pts, size: f.bytes.length, keyframe: true }));

describe('ffprobe reads the locked bytes as what the writer was given', () => {
  let tmp: TempDir;
  const streams = writeStreams();
  const files = { video: '', audioVideo: '', audioOnly: '' };

  beforeAll(async () => {
    tmp = await makeTempDir('rec-es-ts-golden-');
    for (const name of ['video', 'audioVideo', 'audioOnly'] as const) {
      files[name] = join(tmp.path, `${name}.ts`);
      await writeFile(files[name], Buffer.concat(streams[name]));
    }
  });
  afterAll(async () => {
    await tmp?.remove();
  });

  it('video only: 700 access units, their PTS, DTS, keyframe flags and bytes', async () => {
    const packets = await probePackets(files.video, 'v:0');
    const perPes = videoPerPes(packets);
    expect(perPes).toHaveLength(700);
    expect(perPes).toEqual(asFfmpegCuts(streams.aus, expectedVideo(streams.aus)));
    // The 3 s gap and the backward step come through as given.
    expect(perPes[400]!.dts! - perPes[399]!.dts!).toBe(3600 + 270_000);
    expect(perPes[600]!.dts! - perPes[599]!.dts!).toBe(3600 - 900_000);
  });

  it('video and audio: both streams as given, audio frame by frame', async () => {
    const packets = await probePackets(files.audioVideo);
    expect(new Set(packets.map((p) => p.stream_index))).toEqual(new Set([0, 1]));
    const video = packets.filter((p) => p.stream_index === 0);
    expect(videoPerPes(video)).toEqual(asFfmpegCuts(streams.aus, expectedVideo(streams.aus)));
    const audio = packets.filter((p) => p.stream_index === 1).map(view);
    expect(audio).toHaveLength(195);
    expect(audio).toEqual(expectedAudio(streams.frames));
  });

  it('audio only: every ADTS frame', async () => {
    const packets = await probePackets(files.audioOnly);
    expect(packets.every((p) => p.stream_index === 0)).toBe(true);
    expect(packets.map(view)).toEqual(expectedAudio(streams.frames));
  });
});

const GOLDEN = {
  videoBytes: 2290780,
  video: 'e11c359e69094f98f4bc8e9403862e5a7970385e0b0edb8e3ea4379748f1d302',
  audioVideo: 'b01264785e229d8aee6243f0159707f3c65b7cfec14c4284abb5bb6a4a0fa9ea',
  audioOnly: 'b4f676c0ae5e7399daad873991b83fe098b316db41c3678c38fc19f138ae4330',
} as const;
