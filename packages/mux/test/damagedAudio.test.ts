/**
 * Damaged audio chunks (issue 9 item 7): one rule for WAV and AAC joins. An
 * empty or unreadable chunk is skipped, one whose header and size disagree
 * is used for what is there; each is a warning naming the chunk by the name
 * the caller gave (the S3 key, never the temp path) with the seconds lost,
 * and a `damaged` range on the timeline; `strict` makes each an error.
 * The media are real ffmpeg encodes, cut and corrupted.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodePcm16,
  encodeTestAudio,
  makeAudioSegments,
  makeTempDir,
  probe,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAdts, joinWav, readWavInfo } from '../src/index.js';
import { adtsFrames, rms, wavSamples } from './helpers/audio.js';

const RATE = 48_000;
const FRAME = 1024 / RATE;
/** What a terminal can show: no NUL or control character from a garbage file may reach a message. */
const PRINTABLE = /^[\x20-\x7e]*$/;

/** Bytes of a made-up garbage file: NULs and control characters, never 0xFF (no ADTS syncword). */
function garbage(length: number): Uint8Array {
  let seed = 11;
  return Uint8Array.from({ length }, (_, i) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return i < 8 ? i : (seed >>> 16) & 0x7e;
  });
}

/** Every message and source of a result: none may name the temp directory. */
const texts = (result: {
  warnings: { message: string; source?: string }[];
  damaged: { message: string }[];
}) => [
  ...result.warnings.flatMap((w) => [w.message, w.source ?? '']),
  ...result.damaged.map((d) => d.message),
];

describe('joinWav with damaged chunks', () => {
  let dir: TempDir;
  let files: string[]; // ffmpeg's WAV (78-byte header), 48 kHz mono s16le, 2 s each, epochs 1000, 1002, 1004
  const path = (name: string) => join(dir.path, name);
  const key = (epoch: number) => `cam1/00/audio/${epoch}.wav`;
  const write = async (name: string, bytes: Uint8Array) => {
    await writeFile(path(name), bytes);
    return path(name);
  };
  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-damaged-wav-');
    ({ files } = await makeAudioSegments({ dir: dir.path, startEpoch: 1000, count: 3 }));
  });
  afterAll(() => dir.remove());

  it('skips a zero-byte chunk and a garbage one with a warning naming the key, silence in their place', async () => {
    const [a, , c] = files as [string, string, string];
    const empty = await write('empty.wav', new Uint8Array(0));
    const junk = await write('junk.wav', garbage(4096));
    const output = path('skipped.wav');
    const result = await joinWav({
      chunks: [
        { file: a, startTime: 1000, name: key(1000) },
        { file: empty, startTime: 1002, name: key(1002) },
        { file: junk, startTime: 1004, name: key(1004) },
        { file: c, startTime: 1006, name: key(1006) },
      ],
      window: { start: 1000, end: 1008 },
      output,
    });
    expect(result.samples).toBe(8 * RATE);
    expect(result.gaps).toEqual([{ at: 1002, seconds: 4, frames: 4 * RATE }]);
    expect(result.damaged).toEqual([
      {
        source: key(1002),
        reason: 'empty',
        start: 1002,
        end: 1004,
        message: `${key(1002)}: empty (0 bytes); skipped, 2.000 s of the timeline lost`,
      },
      {
        source: key(1004),
        reason: 'unreadable',
        start: 1004,
        end: 1006,
        message:
          `${key(1004)}: not a RIFF file (starts with 0x00 0x01 0x02 0x03); skipped, ` +
          '2.000 s of the timeline lost',
      },
    ]);
    expect(result.warnings.map((w) => [w.code, w.count, w.source])).toEqual([
      ['CHUNK_EMPTY', 1, key(1002)],
      ['CHUNK_UNREADABLE', 1, key(1004)],
    ]);
    for (const text of texts(result)) {
      expect(text).toMatch(PRINTABLE);
      expect(text).not.toContain(dir.path);
    }
    const { streams } = await probe(output);
    expect(streams[0]?.duration).toBe('8.000000');
    const joined = await wavSamples(output);
    expect(joined.subarray(0, 2 * RATE * 2).equals(await wavSamples(a))).toBe(true);
    expect(joined.subarray(2 * RATE * 2, 6 * RATE * 2).every((byte) => byte === 0)).toBe(true);
    expect(joined.subarray(6 * RATE * 2).equals(await wavSamples(c))).toBe(true);
  });

  it('skips chunks in another format: IEEE float samples, AAC named .wav', async () => {
    const float = await encodeTestAudio(path('float.wav'), { codec: 'pcm_f32le' });
    const aac = await encodeTestAudio(path('aac-named.wav'), { codec: 'aac', format: 'adts' });
    const result = await joinWav({
      chunks: [
        { file: files[0] as string, startTime: 1000, name: key(1000) },
        { file: float, startTime: 1002, name: key(1002) },
        { file: aac, startTime: 1004, name: key(1004) },
      ],
      window: { start: 1000, end: 1006 },
      output: path('formats.wav'),
    });
    expect(result.damaged.map((d) => [d.source, d.reason, d.start, d.end])).toEqual([
      [key(1002), 'unreadable', 1002, 1004],
      [key(1004), 'unreadable', 1004, 1006],
    ]);
    expect(result.damaged[0]?.message).toContain('IEEE float');
    expect(result.damaged[1]?.message).toMatch(
      /^cam1\/00\/audio\/1004\.wav: not a RIFF file \(starts with 0xff 0xf1/,
    );
    expect(result.warnings).toMatchObject([{ code: 'CHUNK_UNREADABLE', count: 2, source: key(1002) }]);
    expect(result.silenceSeconds).toBe(4);
  });

  it('uses what a header claims when it claims half the samples, and warns of the ignored second', async () => {
    const [a, b, c] = files as [string, string, string];
    const info = await readWavInfo(b);
    const bytes = new Uint8Array(await readFile(b));
    // data chunk ckSize, the 4 bytes before the samples: 1 s of the file's 2 s.
    new DataView(bytes.buffer).setUint32(info.dataOffset - 4, RATE * 2, true);
    const half = await write('half-claimed.wav', bytes);
    const output = path('half-claimed-joined.wav');
    const result = await joinWav({
      chunks: [
        { file: a, startTime: 1000, name: key(1000) },
        { file: half, startTime: 1002, name: key(1002) },
        { file: c, startTime: 1004, name: key(1004) },
      ],
      output,
    });
    expect(result.damaged).toEqual([
      {
        source: key(1002),
        reason: 'excess',
        start: 1003,
        end: 1004,
        message:
          `${key(1002)}: data chunk announces 96000 bytes (1.000 s) but 96000 more bytes (1.000 s) follow it ` +
          'that are no RIFF chunk; used what the header claims, ignored the rest, 1.000 s of the timeline lost',
      },
    ]);
    expect(result.warnings.map((w) => [w.code, w.source])).toEqual([['WAV_EXCESS_DATA', key(1002)]]);
    expect(result.gaps).toEqual([{ at: 1003, seconds: 1, frames: RATE }]);
    const { streams } = await probe(output);
    expect(streams[0]?.duration).toBe('6.000000');
    const joined = await wavSamples(output);
    const second = 2 * RATE; // bytes of one second
    expect(joined.subarray(2 * second, 3 * second).equals((await wavSamples(b)).subarray(0, second))).toBe(
      true,
    );
    expect(joined.subarray(3 * second, 4 * second).every((byte) => byte === 0)).toBe(true);
    expect(joined.subarray(4 * second).equals(await wavSamples(c))).toBe(true);
  });

  it('uses the samples a cut file holds when its header claims more, and says what is missing', async () => {
    const [a, b, c] = files as [string, string, string];
    const info = await readWavInfo(b);
    const cut = await write('cut.wav', (await readFile(b)).subarray(0, info.dataOffset + RATE * 2 + 1)); // 1 s and a byte
    const output = path('cut-joined.wav');
    const result = await joinWav({
      chunks: [
        { file: a, startTime: 1000, name: key(1000) },
        { file: cut, startTime: 1002, name: key(1002) },
        { file: c, startTime: 1004, name: key(1004) },
      ],
      window: { start: 1001, end: 1005 },
      output,
    });
    expect(result.damaged).toEqual([
      {
        source: key(1002),
        reason: 'truncated',
        start: 1003,
        end: 1004,
        message:
          `${key(1002)}: data chunk announces 192000 bytes (2.000 s) but the file holds 96001 (1.000 s); ` +
          'used the samples that exist, 1.000 s of the timeline lost',
      },
    ]);
    expect(result.warnings.map((w) => w.code)).toEqual(['WAV_PARTIAL_FRAME', 'WAV_TRUNCATED']);
    expect(result.warnings[0]?.message).toBe(
      `${key(1002)}: 1 trailing bytes do not make a whole 2-byte sample frame; ignored`,
    );
    const { streams } = await probe(output);
    expect(streams[0]?.duration).toBe('4.000000');
    const joined = await wavSamples(output);
    const second = 2 * RATE;
    expect(joined.subarray(second, 2 * second).equals((await wavSamples(b)).subarray(0, second))).toBe(true);
    expect(joined.subarray(2 * second, 3 * second).every((byte) => byte === 0)).toBe(true);
  });

  it('fails with WAV_INVALID naming the key for each damage when strict', async () => {
    const [a, b] = files as [string, string];
    const info = await readWavInfo(b);
    const damaged = {
      empty: await write('strict-empty.wav', new Uint8Array(0)),
      junk: await write('strict-junk.wav', garbage(100)),
      cut: await write('strict-cut.wav', (await readFile(b)).subarray(0, info.dataOffset + 1000)),
    };
    for (const [kind, file] of Object.entries(damaged)) {
      const error = await joinWav({
        chunks: [
          { file: a, startTime: 1000, name: key(1000) },
          { file, startTime: 1002, name: key(1002) },
        ],
        strict: true,
        output: path(`strict-${kind}-out.wav`),
      }).catch((caught: unknown) => caught);
      expect(error, kind).toMatchObject({ name: 'MuxError', code: 'WAV_INVALID', file });
      const message = (error as Error).message;
      expect(message.startsWith(`${key(1002)}: `), message).toBe(true);
      expect(message).toMatch(PRINTABLE);
      expect(message).toContain('(strict: a damaged chunk fails the join)');
      expect(message).not.toContain(dir.path);
    }
  });

  it('fails with MUX_NO_INPUT naming the first key when no chunk is readable', async () => {
    const empty = await write('only-empty.wav', new Uint8Array(0));
    const junk = await write('only-junk.wav', garbage(64));
    await expect(
      joinWav({
        chunks: [
          { file: empty, startTime: 1000, name: key(1000) },
          { file: junk, startTime: 1002, name: key(1002) },
        ],
        window: { start: 1000, end: 1004 },
        output: path('nothing.wav'),
      }),
    ).rejects.toMatchObject({
      code: 'MUX_NO_INPUT',
      message: `no readable WAV chunk, no audio format to write silence in: ${key(1000)}: empty (0 bytes) (and 1 more damaged)`,
    });
  });
});

describe('joinAdts with damaged chunks', () => {
  let dir: TempDir;
  let files: string[]; // one AAC-LC encode cut into 4 ADTS segments at frame boundaries, epochs 1000..1006
  let clean: Int16Array;
  const window = { start: 1000, end: 1008 };
  const path = (name: string) => join(dir.path, name);
  const key = (epoch: number) => `cam1/00/audio/${epoch}.aac`;
  const chunk = (index: number, file = files[index] as string) => ({
    file,
    startTime: 1000 + 2 * index,
    name: key(1000 + 2 * index),
  });
  /** Byte offsets where the ADTS frames of `bytes` start (aac_frame_length, ISO/IEC 13818-7 6.2.1). */
  const frameStarts = (bytes: Uint8Array) => {
    const starts: number[] = [];
    for (let at = 0; at + 7 <= bytes.length; ) {
      starts.push(at);
      at += (((bytes[at + 3] ?? 0) & 0x03) << 11) | ((bytes[at + 4] ?? 0) << 3) | ((bytes[at + 5] ?? 0) >> 5);
    }
    return starts;
  };
  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-damaged-aac-');
    ({ files } = await makeAudioSegments({ dir: dir.path, startEpoch: 1000, count: 4, codec: 'aac' }));
    const output = path('clean.aac');
    await joinAdts({ chunks: files.map((_, i) => chunk(i)), window, output });
    clean = await decodePcm16(output);
  });
  afterAll(() => dir.remove());

  it('skips a zero-byte chunk and a garbage one, keeping the audio after them at its time', async () => {
    await writeFile(path('empty.aac'), new Uint8Array(0));
    await writeFile(path('junk.aac'), garbage(3000));
    const output = path('skipped.aac');
    const result = await joinAdts({
      chunks: [chunk(0), chunk(1, path('empty.aac')), chunk(2, path('junk.aac')), chunk(3)],
      window,
      output,
    });
    expect(result.damaged.map((d) => [d.source, d.reason, d.start, d.end])).toEqual([
      [key(1002), 'empty', 1002, 1004],
      [key(1004), 'unreadable', 1004, 1006],
    ]);
    expect(result.damaged[0]?.message).toBe(
      `${key(1002)}: empty (0 bytes); skipped, 2.000 s of the timeline lost`,
    );
    expect(result.damaged[1]?.message).toMatch(
      /^cam1\/00\/audio\/1004\.aac: not an ADTS AAC stream: .*; skipped, 2\.000 s of the timeline lost$/,
    );
    expect(result.warnings.map((w) => [w.code, w.source])).toEqual([
      ['CHUNK_EMPTY', key(1002)],
      ['CHUNK_UNREADABLE', key(1004)],
    ]);
    for (const text of texts(result)) expect(text).not.toContain(dir.path);
    expect(result.frames).toBe(Math.ceil(8 / FRAME));
    // Byte for byte: the first chunk from frame 0, the last from the grid frame nearest 1006.
    const frames = await adtsFrames(output);
    const first = await adtsFrames(files[0] as string);
    const last = await adtsFrames(files[3] as string);
    const lastAt = Math.round(6 / FRAME);
    expect(Buffer.concat(frames.slice(0, first.length)).equals(Buffer.concat(first))).toBe(true);
    expect(Buffer.concat(frames.slice(lastAt, lastAt + last.length)).equals(Buffer.concat(last))).toBe(true);
    // Decoded: silence in between (after one frame of overlap-add tail), no decode error.
    const decoded = await decodePcm16(output);
    expect(decoded.length).toBe(clean.length);
    const at = (seconds: number) => Math.round(seconds * RATE);
    expect(rms(clean, at(2.1), at(5.9))).toBeGreaterThan(1000);
    expect(rms(decoded, at(2.1), at(5.9))).toBeLessThan(1);
    expect(rms(decoded, at(6.1), at(7.9))).toBeGreaterThan(1000);
  });

  it('uses the frames of a chunk cut mid-frame and puts the next chunk at its own time, not after them', async () => {
    const bytes = await readFile(files[1] as string);
    const starts = frameStarts(bytes);
    // 70 of its 94 frames and half of the 71st: 0.5 s lost, less than the 1 s continuity tolerance,
    // which would glue the next chunk to its last frame.
    const end = (starts[70] as number) + Math.floor(((starts[71] as number) - (starts[70] as number)) / 2);
    await writeFile(path('cut.aac'), bytes.subarray(0, end));
    const output = path('cut-joined.aac');
    const result = await joinAdts({
      chunks: [chunk(0), chunk(1, path('cut.aac')), chunk(2), chunk(3)],
      window,
      output,
    });
    const firstFrames = (await adtsFrames(files[0] as string)).length; // the priming frame and 94
    const lostFrom = 1000 + (firstFrames + 70) * FRAME;
    expect(result.damaged).toEqual([
      {
        source: key(1002),
        reason: 'truncated',
        start: lostFrom,
        end: 1004,
        message:
          `${key(1002)}: the last frame is cut: its header at byte ${starts[70]} announces ` +
          `${(starts[71] as number) - (starts[70] as number)} bytes, ${end - (starts[70] as number)} exist; ` +
          `used the frames before it, ${(1004 - lostFrom).toFixed(3)} s of the timeline lost`,
      },
    ]);
    expect(result.warnings.map((w) => [w.code, w.source])).toEqual([['AAC_TRUNCATED', key(1002)]]);
    expect(result.gaps).toHaveLength(1);
    expect(result.gaps[0]?.at).toBeCloseTo(lostFrom, 9);
    // Not shifted by the lost 0.5 s: the next chunk starts at the grid frame nearest 1004.
    const frames = await adtsFrames(output);
    const next = await adtsFrames(files[2] as string);
    const nextAt = Math.round(4 / FRAME);
    expect(Buffer.concat(frames.slice(nextAt, nextAt + next.length)).equals(Buffer.concat(next))).toBe(true);
    const decoded = await decodePcm16(output);
    expect(decoded.length).toBe(clean.length);
    const at = (seconds: number) => Math.round(seconds * RATE);
    expect(rms(decoded, at(lostFrom - 1000 + 0.05), at(3.95))).toBeLessThan(1);
  });

  it('skips a WAV given as an AAC chunk', async () => {
    const wav = await encodeTestAudio(path('pcm-named.aac'), { format: 'wav' });
    const result = await joinAdts({ chunks: [chunk(0), chunk(1, wav)], output: path('wav-as-aac.aac') });
    expect(result.damaged).toMatchObject([{ source: key(1002), reason: 'unreadable' }]);
    expect(result.damaged[0]?.message).toMatch(PRINTABLE);
  });

  it('fails with AAC_INVALID naming the key for each damage when strict', async () => {
    const bytes = await readFile(files[1] as string);
    await writeFile(path('strict-empty.aac'), new Uint8Array(0));
    await writeFile(path('strict-junk.aac'), garbage(500));
    await writeFile(path('strict-cut.aac'), bytes.subarray(0, bytes.length - 10));
    for (const kind of ['empty', 'junk', 'cut']) {
      const file = path(`strict-${kind}.aac`);
      const error = await joinAdts({
        chunks: [chunk(0), chunk(1, file)],
        strict: true,
        output: path(`strict-${kind}-out.aac`),
      }).catch((caught: unknown) => caught);
      expect(error, kind).toMatchObject({ name: 'MuxError', code: 'AAC_INVALID', file });
      const message = (error as Error).message;
      expect(message.startsWith(`${key(1002)}: `), message).toBe(true);
      expect(message).toContain('(strict: a damaged chunk fails the join)');
      expect(message).not.toContain(dir.path);
    }
    // strict also refuses gaps, as joinWav does.
    await expect(
      joinAdts({ chunks: [chunk(0), chunk(2)], strict: true, output: path('strict-gap.aac') }),
    ).rejects.toMatchObject({ code: 'AUDIO_GAP' });
  });
});
