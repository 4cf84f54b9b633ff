import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeAudioSegments, makeTempDir, probe, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinWav, planWavJoin, readWavInfo } from '../src/index.js';
import { wavSamples } from './helpers/audio.js';
import { constantPcm16, wavBytes } from './helpers/wavBytes.js';

describe('joinWav', () => {
  let dir: TempDir;
  let files: string[]; // 48 kHz mono s16le, 2 s each, epochs 1000, 1002, 1004 (ffmpeg-written, 78-byte headers)
  const out = (name: string) => join(dir.path, name);
  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-join-');
    ({ files } = await makeAudioSegments({ dir: dir.path, startEpoch: 1000, count: 3, sampleRate: 48_000 }));
  });
  afterAll(() => dir.remove());

  it('fills a missing chunk with silence of exactly its length', async () => {
    const [a, , c] = files as [string, string, string];
    const output = out('gap.wav');
    const result = await joinWav({
      chunks: [
        { file: a, startTime: 1000 },
        { file: c, startTime: 1004 },
      ],
      output,
    });
    expect(result.samples).toBe(6 * 48_000);
    expect(result.durationSeconds).toBe(6);
    expect(result.gaps).toEqual([{ at: 1002, seconds: 2, frames: 96_000 }]);
    expect(result.silenceSeconds).toBe(2);
    expect(result.overlaps).toEqual([]);

    const joined = await wavSamples(output);
    expect(joined.length).toBe(6 * 48_000 * 2);
    expect(joined.subarray(0, 192_000).equals(await wavSamples(a))).toBe(true);
    expect(joined.subarray(192_000, 384_000).every((byte) => byte === 0)).toBe(true);
    expect(joined.subarray(384_000).equals(await wavSamples(c))).toBe(true);
    // The header is canonical (44 bytes) and agrees with ffprobe.
    expect((await readWavInfo(output)).dataOffset).toBe(44);
    const { streams } = await probe(output);
    expect(streams[0]?.duration).toBe('6.000000');
    expect(await readdir(dir.path)).not.toContain('gap.wav.part');
  });

  it('planWavJoin reads any sample range of the join without writing it, equal to the joined file', async () => {
    const [a, , c] = files as [string, string, string];
    const chunks = [
      { file: a, startTime: 1000 },
      { file: c, startTime: 1004 },
    ];
    const window = { start: 1000.5, end: 1005.25 };
    const output = out('plan.wav');
    await joinWav({ chunks, window, output });
    const file = await wavSamples(output);
    const plan = await planWavJoin({ chunks, window });
    expect(plan.samples).toBe(file.length / 2);
    expect(plan.gaps).toEqual([{ at: 1002, seconds: 2, frames: 96_000 }]);
    // Ranges inside a chunk, across chunk -> silence -> chunk, and the whole.
    for (const [from, to] of [
      [10, 20],
      [71_000, 170_000],
      [0, plan.samples],
    ] as const) {
      const parts: Uint8Array[] = [];
      for await (const block of plan.read(from, to)) parts.push(block);
      expect(Buffer.concat(parts).equals(Buffer.from(file.subarray(from * 2, to * 2)))).toBe(true);
    }
    expect(await readdir(dir.path)).not.toContain('plan.wav.part');
  });

  it('cuts sample-exact to the window, across chunk boundaries', async () => {
    const output = out('window.wav');
    const window = { start: 1000.5, end: 1005.25 };
    const result = await joinWav({
      chunks: files.map((file, i) => ({ file, startTime: 1000 + 2 * i })),
      window,
      output,
    });
    expect(result.samples).toBe(Math.round(4.75 * 48_000));
    expect(result.gaps).toEqual([]);
    const joined = await wavSamples(output);
    // Output sample k is timeline 1000.5 + k / 48000: source chunk i at offset (t - (1000 + 2i)) * 48000.
    const sources = await Promise.all(files.map((file) => wavSamples(file)));
    const expected = Buffer.concat([
      sources[0]?.subarray(24_000 * 2) ?? new Uint8Array(), // [1000.5, 1002)
      sources[1] ?? new Uint8Array(), // [1002, 1004)
      sources[2]?.subarray(0, 60_000 * 2) ?? new Uint8Array(), // [1004, 1005.25)
    ]);
    expect(joined.length).toBe(expected.length);
    expect(joined.equals(expected)).toBe(true);
  });

  it('pads with silence where the window reaches past the chunks', async () => {
    const result = await joinWav({
      chunks: [{ file: files[1] as string, startTime: 1002 }],
      window: { start: 1001.5, end: 1004.5 },
      output: out('pad.wav'),
    });
    expect(result.gaps).toEqual([
      { at: 1001.5, seconds: 0.5, frames: 24_000 },
      { at: 1004, seconds: 0.5, frames: 24_000 },
    ]);
    const joined = await wavSamples(out('pad.wav'));
    expect(joined.length).toBe(3 * 48_000 * 2);
    expect(joined.subarray(0, 48_000).every((b) => b === 0)).toBe(true);
    expect(joined.subarray(48_000, 48_000 + 192_000).equals(await wavSamples(files[1] as string))).toBe(true);
  });

  it('rejects chunks of different sample rates with WAV_FORMAT_MISMATCH naming both files', async () => {
    const other = out('other-44100.wav');
    await writeFile(other, wavBytes({ sampleRate: 44_100, data: constantPcm16(441, 1) }));
    const first = files[0] as string;
    const error = await joinWav({
      chunks: [
        { file: first, startTime: 1000 },
        { file: other, startTime: 1002 },
      ],
      output: out('mismatch.wav'),
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'MuxError', code: 'WAV_FORMAT_MISMATCH' });
    const message = (error as Error).message;
    expect(message).toContain(first);
    expect(message).toContain(other);
    expect(message).toContain('48000 Hz, 1 ch, s16le');
    expect(message).toContain('44100 Hz, 1 ch, s16le');
    expect(await readdir(dir.path)).not.toContain('mismatch.wav.part');
  });

  it('resolves overlaps in favour of the later chunk and reports them', async () => {
    const early = out('early.wav');
    const late = out('late.wav');
    await writeFile(early, wavBytes({ sampleRate: 8000, data: constantPcm16(12_000, 0x1111) })); // 1.5 s
    await writeFile(late, wavBytes({ sampleRate: 8000, data: constantPcm16(8000, 0x2222) })); // 1 s
    const result = await joinWav({
      chunks: [
        { file: late, startTime: 11 },
        { file: early, startTime: 10 },
      ],
      output: out('overlap.wav'),
    });
    expect(result.samples).toBe(16_000);
    expect(result.overlaps).toEqual([{ at: 11, seconds: 0.5, frames: 4000, trimmed: early, kept: late }]);
    const samples = await wavSamples(out('overlap.wav'));
    const view = new DataView(samples.buffer, samples.byteOffset, samples.byteLength);
    expect(view.getInt16(7999 * 2, true)).toBe(0x1111);
    expect(view.getInt16(8000 * 2, true)).toBe(0x2222);
    expect(view.getInt16(15_999 * 2, true)).toBe(0x2222);
  });

  it('places chunks at sample precision from fractional start times', async () => {
    const a = out('frac-a.wav');
    await writeFile(a, wavBytes({ sampleRate: 8000, data: constantPcm16(800, 0x0101) })); // 0.1 s
    const result = await joinWav({
      chunks: [
        { file: a, startTime: 20 },
        { file: a, startTime: 20.100_125 }, // round(0.100125 * 8000) = 801: one frame of silence
      ],
      output: out('frac.wav'),
    });
    expect(result.samples).toBe(1601);
    expect(result.gaps).toEqual([{ at: 20.1, seconds: 1 / 8000, frames: 1 }]);
  });

  it('refuses gaps in strict mode with AUDIO_GAP', async () => {
    await expect(
      joinWav({
        chunks: [
          { file: files[0] as string, startTime: 1000 },
          { file: files[2] as string, startTime: 1004 },
        ],
        strict: true,
        output: out('strict.wav'),
      }),
    ).rejects.toMatchObject({ code: 'AUDIO_GAP', message: expect.stringContaining('2.000000 s at 1002') });
  });

  it('writes 8-bit silence as 0x80 and pads an odd data chunk', async () => {
    const u8 = out('u8.wav');
    await writeFile(u8, wavBytes({ sampleRate: 8000, bitsPerSample: 8, data: new Uint8Array(3).fill(0x90) }));
    await joinWav({
      chunks: [
        { file: u8, startTime: 0 },
        { file: u8, startTime: 0.000_5 }, // 4 frames in: 1 frame of silence
      ],
      output: out('u8-joined.wav'),
    });
    const bytes = new Uint8Array(await readFile(out('u8-joined.wav')));
    expect(Array.from(bytes.subarray(44))).toEqual([0x90, 0x90, 0x90, 0x80, 0x90, 0x90, 0x90, 0x00]); // 7 frames + pad
    expect((await readWavInfo(out('u8-joined.wav'))).frames).toBe(7);
  });

  it('reports progress and stops on abort without leaving files', async () => {
    const seen: number[] = [];
    await joinWav({
      chunks: files.map((file, i) => ({ file, startTime: 1000 + 2 * i })),
      output: out('progress.wav'),
      onProgress: (p) => seen.push(p.percent ?? -1),
    });
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));

    const controller = new AbortController();
    const reason = new Error('stop now');
    const run = joinWav({
      chunks: files.map((file, i) => ({ file, startTime: 1000 + 2 * i })),
      output: out('aborted.wav'),
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    await expect(run).rejects.toBe(reason);
    const names = await readdir(dir.path);
    expect(names.filter((name) => name.startsWith('aborted'))).toEqual([]);
  });
});
