import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodePcm16,
  encodeTestAudio,
  ffmpegDecodeWarnings,
  makeTempDir,
  probe,
  runFfmpeg,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAdts } from '../src/audio/joinAdts.js';
import { defaultContinuityTolerance, planAdtsTimeline } from '../src/audio/planAdtsTimeline.js';
import { MuxError } from '../src/index.js';
import { adtsFrames, rms } from './helpers/audio.js';
import { readMp4Summary } from './helpers/mp4Boxes.js';

const RATE = 48_000;
const FRAME = 1024 / RATE;
const SECONDS = 12;
/** True start of the stream: names round it to 1000, and segment 2 (true 1004.5007) to 1005. */
const TRUE_START = 1000.49;

/** An ADTS segment cut from the continuous stream, named by its rounded epoch. */
interface Segment {
  file: string;
  /** Rounded epoch: what a recorder names it. */
  epoch: number;
  /** Frame range of the continuous stream, [from, to). */
  from: number;
  to: number;
}

/** Normalised cross-correlation of `a[from, to)` with `b[from + shift, to + shift)`. */
function correlation(a: Int16Array, b: Int16Array, from: number, to: number, shift = 0): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = from; i < to; i++) {
    const x = a[i] ?? 0;
    const y = b[i + shift] ?? 0;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(Math.max(aa * bb, 1));
}

/**
 * ffmpeg's decode warnings, less the raw-ADTS demuxer's notice that it guesses
 * the duration from the bitrate (ADTS has no duration field; ffmpeg prints it
 * for its own ADTS files too).
 */
async function decodeWarnings(file: string): Promise<string> {
  const lines = (await ffmpegDecodeWarnings(file)).split('\n');
  return lines.filter((line) => line !== '' && !line.includes('Estimating duration from bitrate')).join('\n');
}

const concat = (parts: readonly Uint8Array[]) => Buffer.concat(parts);

describe('planAdtsTimeline', () => {
  const chunk = (name: string, startTime: number, frames: number) => ({ name, startTime, frames });

  it('tolerates 1 s with whole-second names, 0.5 s with finer ones, never less than a frame', () => {
    expect(defaultContinuityTolerance([{ startTime: 1000 }, { startTime: 1002 }], RATE)).toBe(1);
    expect(defaultContinuityTolerance([{ startTime: 1000.123 }, { startTime: 1002 }], RATE)).toBe(0.5);
    expect(defaultContinuityTolerance([{ startTime: 1000.5 }], 7350)).toBe(0.5);
  });

  it('continues chunks whose millisecond names are within 0.5 s, and fills a real gap', () => {
    // 94 frames = 2.005 s; the second name says 2.3 s (continues), the third 6.2 s (gap).
    const plan = planAdtsTimeline({
      chunks: [chunk('a', 5000.1, 94), chunk('b', 5002.4, 94), chunk('c', 5006.3, 10)],
      sampleRate: RATE,
    });
    expect(plan.pieces).toEqual([
      { kind: 'chunk', chunk: 0, at: 0, fromFrame: 0, frames: 94 },
      { kind: 'chunk', chunk: 1, at: 94, fromFrame: 0, frames: 94 },
      { kind: 'silence', at: 188, frames: 291 - 188 },
      { kind: 'chunk', chunk: 2, at: 291, fromFrame: 0, frames: 10 }, // round(6.2 / FRAME) = 291
    ]);
    expect(plan.gaps).toEqual([{ at: 5000.1 + 188 * FRAME, seconds: 103 * FRAME, frames: 103 * 1024 }]);
    expect(plan.frames).toBe(301);
  });

  it('drops a chunk that a later one with the same start time replaces, and reports it', () => {
    const plan = planAdtsTimeline({
      chunks: [chunk('first', 1000, 94), chunk('resent', 1000, 94), chunk('next', 1002, 94)],
      sampleRate: RATE,
    });
    expect(plan.pieces.map((piece) => (piece.kind === 'chunk' ? piece.chunk : 'silence'))).toEqual([1, 2]);
    expect(plan.overlaps).toEqual([
      { at: 1000, seconds: 94 * FRAME, frames: 94 * 1024, trimmed: 'first', kept: 'resent' },
    ]);
    expect(plan.unused).toEqual([0]);
  });

  it('pads a window that reaches past the chunks with silence on the same grid', () => {
    const plan = planAdtsTimeline({
      chunks: [chunk('a', 1000, 94)],
      sampleRate: RATE,
      window: { start: 999.5, end: 1002.5 },
    });
    // floor(-0.5 / FRAME) = -24, ceil(2.5 / FRAME) = 118
    expect(plan.firstFrame).toBe(-24);
    expect(plan.frames).toBe(118 + 24);
    expect(plan.offset).toBeCloseTo(-24 * FRAME + 0.5, 12);
    expect(plan.gaps.map((gap) => gap.frames / 1024)).toEqual([24, 118 - 94]);
  });
});

describe('joinAdts', () => {
  let dir: TempDir;
  let full: string;
  let frames: Uint8Array[];
  let reference: Int16Array;
  let segments: Segment[];
  const out = (name: string) => join(dir.path, name);
  const chunksOf = (list: readonly Segment[]) => list.map((s) => ({ file: s.file, startTime: s.epoch }));
  const segment = (index: number) => segments[index] as Segment;

  beforeAll(async () => {
    dir = await makeTempDir('rec-mux-adts-');
    full = out('continuous.aac');
    // 440 Hz plus a rising chirp: no two instants sound alike, so a shift shows in the correlation.
    const expression = `0.25*sin(2*PI*440*t)+0.25*sin(2*PI*(300+40*t)*t)`;
    await encodeTestAudio(full, {
      expression,
      seconds: SECONDS,
      sampleRate: RATE,
      codec: 'aac',
      format: 'adts',
      outputArgs: ['-b:a', '96k'],
    });
    frames = await adtsFrames(full);
    reference = await decodePcm16(full);
    // Cut at the frame nearest each 2 s (93.75 frames per segment: 94, 94, 93, 94, ...).
    await mkdir(out('audio'));
    segments = [];
    // The last segment also takes the encoder's flush frames.
    for (let k = 0; k < SECONDS / 2; k++) {
      const from = Math.round((2 * k * RATE) / 1024);
      const to = k === SECONDS / 2 - 1 ? frames.length : Math.round((2 * (k + 1) * RATE) / 1024);
      const epoch = Math.round(TRUE_START + from * FRAME);
      const file = out(`audio/${epoch}.aac`);
      await writeFile(file, concat(frames.slice(from, to)));
      segments.push({ file, epoch, from, to });
    }
  });
  afterAll(() => dir.remove());

  it('has the rounded names the test relies on', () => {
    expect(reference.length).toBe(frames.length * 1024);
    expect(segments.map((s) => s.epoch)).toEqual([1000, 1002, 1005, 1006, 1008, 1010]);
    expect(segments.map((s) => s.from)).toEqual([0, 94, 188, 281, 375, 469]);
  });

  it('joins contiguous chunks byte for byte, without silence despite the rounded names', async () => {
    const output = out('contiguous.aac');
    const progress: number[] = [];
    const result = await joinAdts({
      chunks: chunksOf(segments),
      output,
      onProgress: (p) => progress.push(p.transferred),
    });
    expect(result).toMatchObject({
      output,
      sampleRate: RATE,
      channels: 1,
      channelConfiguration: 1,
      frames: frames.length,
      offset: 0,
      gaps: [],
      overlaps: [],
      silenceSeconds: 0,
      warnings: [],
      continuityTolerance: 1,
    });
    expect(result.durationSeconds).toBeCloseTo(frames.length * FRAME, 9);
    expect((await readFile(output)).equals(await readFile(full))).toBe(true);
    expect(progress.at(-1)).toBeCloseTo(result.durationSeconds, 9);
    expect(await readdir(dir.path)).not.toContain('contiguous.aac.part');
  });

  it('fills a missing segment with silence of its length and does not shift the audio after it', async () => {
    const output = out('gap.aac');
    const kept = segments.filter((_, i) => i !== 2);
    const result = await joinAdts({ chunks: chunksOf(kept), output });
    const hole = { from: segment(2).from, to: segment(2).to }; // frames 188..281
    expect(result.frames).toBe(frames.length);
    expect(result.gaps).toHaveLength(1);
    expect(result.gaps[0]?.at).toBeCloseTo(1000 + hole.from * FRAME, 9);
    expect(result.gaps[0]?.frames).toBe((hole.to - hole.from) * 1024);
    expect(result.silenceSeconds).toBeCloseTo((hole.to - hole.from) * FRAME, 9);
    expect(result.overlaps).toEqual([]);

    const bytes = await readFile(output);
    const before = concat(frames.slice(0, hole.from));
    const after = concat(frames.slice(hole.to));
    expect(bytes.subarray(0, before.length).equals(before)).toBe(true);
    expect(bytes.subarray(bytes.length - after.length).equals(after)).toBe(true);

    expect(await decodeWarnings(output)).toBe('');
    const decoded = await decodePcm16(output);
    expect(decoded.length).toBe(frames.length * 1024);
    // Before the hole: the same samples. In it (after the previous frame's overlap-add tail): silence.
    expect(correlation(decoded, reference, 1024, hole.from * 1024)).toBeGreaterThan(0.9999);
    expect(rms(reference, (hole.from + 1) * 1024, hole.to * 1024)).toBeGreaterThan(1000);
    expect(rms(decoded, (hole.from + 1) * 1024, hole.to * 1024)).toBeLessThan(1);
    // After it (one frame of fade-in later): the source at the same instants, not shifted.
    const afterFrom = (hole.to + 1) * 1024;
    expect(correlation(decoded, reference, afterFrom, reference.length)).toBeGreaterThan(0.9999);
    expect(Math.abs(correlation(decoded, reference, afterFrom, reference.length - RATE, 1024))).toBeLessThan(
      0.9,
    );
  });

  it('lets a later chunk win an overlap from its first frame, and reports it', async () => {
    // Segment 2 named 1003 instead of 1005: it claims [1003, 1005), 1 s of segment 1.
    const output = out('overlap.aac');
    const chunks = [...chunksOf(segments.slice(0, 2)), { file: segment(2).file, startTime: 1003 }];
    const result = await joinAdts({ chunks, output });
    const cut = Math.round(3 / FRAME); // 141: the grid frame nearest 1003
    expect(result.overlaps).toEqual([
      {
        at: 1000 + cut * FRAME,
        seconds: (segment(1).to - cut) * FRAME,
        frames: (segment(1).to - cut) * 1024,
        trimmed: segment(1).file,
        kept: segment(2).file,
      },
    ]);
    expect(result.gaps).toEqual([]);
    const expected = concat([...frames.slice(0, cut), ...frames.slice(segment(2).from, segment(2).to)]);
    expect((await readFile(output)).equals(expected)).toBe(true);
    expect(result.frames).toBe(cut + segment(2).to - segment(2).from);
    expect(await decodeWarnings(output)).toBe('');
  });

  it('trims to a window: frames that overlap it, the first less than a frame before its start', async () => {
    const output = out('window.aac');
    const window = { start: 1001.3, end: 1007.7 };
    const result = await joinAdts({ chunks: chunksOf(segments), window, output });
    const first = Math.floor(1.3 / FRAME); // 60
    const end = Math.ceil(7.7 / FRAME); // 361
    expect(result.frames).toBe(end - first);
    expect(result.offset).toBeCloseTo(first * FRAME - 1.3, 9);
    expect(result.offset).toBeLessThanOrEqual(0);
    expect(result.offset).toBeGreaterThan(-FRAME);
    expect(result.gaps).toEqual([]);
    expect((await readFile(output)).equals(concat(frames.slice(first, end)))).toBe(true);
    // Segments 4 and 5 (frames 375.., from 1008) lie after the window.
    // One entry per kind (core's WarningLog): the first chunk named, both counted.
    expect(result.warnings.map((w) => [w.code, w.count, w.source])).toEqual([
      ['CHUNK_OUTSIDE_WINDOW', 2, segment(4).file],
    ]);
  });

  it("skips garbage before a chunk's first frame, and cuts the chunk at garbage after it", async () => {
    const dirty = out('dirty-1002.aac');
    const junk = new Uint8Array(100).fill(0x55);
    const [s1] = [segment(1)];
    await writeFile(
      dirty,
      concat([junk, ...frames.slice(s1.from, s1.from + 10), junk, ...frames.slice(s1.from + 10, s1.to)]),
    );
    const output = out('dirty.aac');
    const result = await joinAdts({
      chunks: [...chunksOf(segments.slice(0, 1)), { file: dirty, startTime: 1002, name: 'cam/1002.aac' }],
      output,
    });
    // The frames after the junk are not used: how much time the junk stands for is unknown.
    expect((await readFile(output)).equals(concat(frames.slice(0, s1.from + 10)))).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.count, w.source])).toEqual([
      ['ADTS_GARBAGE', 1, 'cam/1002.aac'],
      ['AAC_CUT', 1, 'cam/1002.aac'],
    ]);
    const lostFrom = 1000 + (s1.from + 10) * FRAME;
    expect(result.damaged).toEqual([
      {
        source: 'cam/1002.aac',
        reason: 'invalid',
        start: lostFrom,
        end: lostFrom, // no later chunk, no window: where it would end is unknown
        message: `cam/1002.aac: the bytes from byte ${100 + concat(frames.slice(s1.from, s1.from + 10)).length} on are no ADTS frame; used the frames before it, 0.000 s of the timeline lost`,
      },
    ]);
  });

  it('pads a window that starts before the first chunk with silent frames on its grid', async () => {
    const output = out('pad.aac');
    const result = await joinAdts({
      chunks: chunksOf(segments.slice(0, 1)),
      window: { start: 999.5, end: 1001 },
      output,
    });
    expect(result.frames).toBe(24 + 47); // floor(-0.5 / FRAME) = -24 .. ceil(1 / FRAME) = 47
    expect(result.offset).toBeCloseTo(0.5 - 24 * FRAME, 9);
    expect(result.gaps).toHaveLength(1);
    expect(result.gaps[0]?.frames).toBe(24 * 1024);
    const bytes = await readFile(output);
    expect(
      bytes.subarray(bytes.length - concat(frames.slice(0, 47)).length).equals(concat(frames.slice(0, 47))),
    ).toBe(true);
    expect(await decodeWarnings(output)).toBe('');
    const decoded = await decodePcm16(output);
    expect(decoded.length).toBe(71 * 1024);
    expect(rms(decoded, 0, 24 * 1024)).toBe(0);
  });

  it('stream-copies into an MP4 whose edit list hides the part before the window', async () => {
    const adts = out('mp4-source.aac');
    const window = { start: 1001.3, end: 1007.7 };
    const result = await joinAdts({
      chunks: chunksOf(segments.filter((_, i) => i !== 2)),
      window,
      output: adts,
    });
    const mp4 = out('joined.mp4');
    await runFfmpeg([
      ...['-v', 'error', '-copyts', '-f', 'aac', '-itsoffset', `${result.offset}`, '-i', adts],
      ...['-c', 'copy', '-use_editlist', '1', mp4],
    ]);
    const { streams, format } = await probe(mp4);
    expect(streams[0]?.codec_name).toBe('aac');
    expect(Number(streams[0]?.start_time)).toBe(0);
    expect(Number(format.duration)).toBeCloseTo(window.end - window.start, 1);
    expect(Math.abs(Number(format.duration) - (window.end - window.start))).toBeLessThan(FRAME);
    const summary = await readMp4Summary(mp4);
    const edit = summary.tracks[0]?.elst?.[0];
    expect(edit?.[1]).toBe(Math.round(-result.offset * RATE)); // media_time: the samples before the window
    expect(await decodeWarnings(mp4)).toBe('');
  });

  it('rejects chunks of different sample rates, naming both files and both formats', async () => {
    const other = await encodeTestAudio(out('audio-44k.aac'), {
      seconds: 1,
      sampleRate: 44_100,
      codec: 'aac',
      format: 'adts',
    });
    const error = await joinAdts({
      chunks: [...chunksOf(segments.slice(0, 1)), { file: other, startTime: 1002 }],
      output: out('mismatch.aac'),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MuxError);
    expect(error).toMatchObject({ code: 'AAC_FORMAT_MISMATCH', file: other });
    const message = (error as Error).message;
    expect(message).toContain(segment(0).file);
    expect(message).toContain(other);
    expect(message).toContain('AAC LC, 48000 Hz, mono (channel configuration 1)');
    expect(message).toContain('AAC LC, 44100 Hz, mono (channel configuration 1)');
    expect(await readdir(dir.path)).not.toContain('mismatch.aac.part');
  });

  it('skips a file with no ADTS frame; strict: AAC_INVALID naming it and the byte offset', async () => {
    const garbage = out('garbage.aac');
    let seed = 7;
    const bytes = Uint8Array.from({ length: 4096 }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 16) & 0xfe; // never 0xFF: no syncword
    });
    await writeFile(garbage, bytes);
    const skipped = await joinAdts({
      chunks: [...chunksOf(segments.slice(0, 1)), { file: garbage, startTime: 1002 }],
      output: out('garbage-out.aac'),
    });
    expect(skipped.frames).toBe(segment(0).to);
    expect(skipped.damaged).toMatchObject([
      { source: garbage, reason: 'unreadable', start: 1002, end: 1002 },
    ]);
    expect(skipped.warnings).toMatchObject([{ code: 'CHUNK_UNREADABLE', source: garbage }]);
    const error = await joinAdts({
      chunks: [...chunksOf(segments.slice(0, 1)), { file: garbage, startTime: 1002 }],
      strict: true,
      output: out('garbage-strict.aac'),
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'MuxError', code: 'AAC_INVALID', file: garbage });
    expect((error as Error).message).toContain(garbage);
    expect((error as Error).message).toContain('at byte 0');
    expect(await readdir(dir.path)).not.toContain('garbage-strict.aac.part');
  });

  it('skips AAC Main; strict: an error saying what it is', async () => {
    const main = out('main.aac');
    // profile_ObjectType 0 (AAC Main) in every header: byte 2, top two bits.
    await writeFile(
      main,
      concat(frames.slice(0, 10).map((frame) => Uint8Array.from(frame, (b, i) => (i === 2 ? b & 0x3f : b)))),
    );
    const error = await joinAdts({
      chunks: [{ file: main, startTime: 1000 }],
      strict: true,
      output: out('main-out.aac'),
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AAC_INVALID' });
    // Without strict, nothing usable is left: MUX_NO_INPUT says why.
    await expect(
      joinAdts({ chunks: [{ file: main, startTime: 1000 }], output: out('main-out.aac') }),
    ).rejects.toMatchObject({
      code: 'MUX_NO_INPUT',
      message: expect.stringContaining('got AAC Main (audio object type 1)'),
    });
    expect(error).toMatchObject({ name: 'MuxError', file: main });
    expect((error as Error).message).toContain(`${main} at byte 0`);
    expect((error as Error).message).toContain('got AAC Main (audio object type 1)');
  });

  it('rejects with signal.reason and leaves no part file when aborted', async () => {
    const reason = new Error('stop');
    const pre = await joinAdts({
      chunks: chunksOf(segments),
      output: out('pre-aborted.aac'),
      signal: AbortSignal.abort(reason),
    }).catch((caught: unknown) => caught);
    expect(pre).toBe(reason);

    const controller = new AbortController();
    const during = await joinAdts({
      chunks: chunksOf(segments.filter((_, i) => i !== 2)),
      output: out('aborted.aac'),
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    }).catch((caught: unknown) => caught);
    expect(during).toBe(reason);
    const names = await readdir(dir.path);
    expect(names.filter((name) => name.startsWith('aborted.aac') || name.startsWith('pre-aborted'))).toEqual(
      [],
    );
  });

  it('aborts in flight (scan, silence encoder or copy) with signal.reason, leaving no file behind', async () => {
    const reason = new Error('stop in flight');
    const controller = new AbortController();
    // One event-loop turn in: the scan and the silence encoder take many more.
    const timer = setImmediate(() => controller.abort(reason));
    const error = await joinAdts({
      chunks: chunksOf(segments.filter((_, i) => i !== 2)), // a gap: ffmpeg makes the silent frame
      output: out('in-flight.aac'),
      signal: controller.signal,
    }).catch((caught: unknown) => caught);
    clearImmediate(timer);
    expect(error).toBe(reason);
    expect((await readdir(dir.path)).filter((name) => name.startsWith('in-flight'))).toEqual([]);
  });

  it('fills a gap between stereo chunks with stereo silence', async () => {
    // 440 Hz left, 660 Hz right, at the `sine` source's amplitude of 1/8.
    const stereo = await encodeTestAudio(out('stereo.aac'), {
      expression: '0.125*sin(2*PI*440*t)|0.125*sin(2*PI*660*t)',
      seconds: 6,
      sampleRate: RATE,
      channels: 2,
      codec: 'aac',
      format: 'adts',
    });
    const all = await adtsFrames(stereo);
    const [a, b] = [out('stereo-1000.aac'), out('stereo-1004.aac')];
    await writeFile(a, concat(all.slice(0, 94)));
    await writeFile(b, concat(all.slice(188)));
    const output = out('stereo-joined.aac');
    const result = await joinAdts({
      chunks: [
        { file: a, startTime: 1000 },
        { file: b, startTime: 1004 },
      ],
      output,
    });
    expect(result).toMatchObject({ channels: 2, channelConfiguration: 2 });
    expect(result.gaps.map((gap) => gap.frames / 1024)).toEqual([Math.round(4 / FRAME) - 94]); // 188 - 94
    expect(result.frames).toBe(all.length);
    expect(await decodeWarnings(output)).toBe('');
    const { streams } = await probe(output);
    expect(streams[0]).toMatchObject({ codec_name: 'aac', channels: 2, sample_rate: '48000' });
    const decoded = await decodePcm16(output);
    expect(rms(decoded, 95 * 1024, 188 * 1024)).toBe(0);
    expect(rms(decoded, 189 * 1024, 250 * 1024)).toBeGreaterThan(1000);
  });

  it('rejects a window that ends before it starts and an empty chunk list', async () => {
    await expect(joinAdts({ chunks: [], output: out('none.aac') })).rejects.toMatchObject({
      code: 'MUX_NO_INPUT',
    });
    // A caller's mistake is a TypeError in core's one format, not a MuxError.
    await expect(
      joinAdts({ chunks: chunksOf(segments), window: { start: 5, end: 5 }, output: out('bad.aac') }),
    ).rejects.toThrow(
      new TypeError('Expected `window.end` to be a time after `window.start` (5), got `5` (number)'),
    );
    await expect(
      joinAdts({ chunks: chunksOf(segments), continuityTolerance: -1, output: out('bad.aac') }),
    ).rejects.toThrow(TypeError);
  });
});
