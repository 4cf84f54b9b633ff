/**
 * Fuzzing at scale (issue 9, "a reliability suite"): every parser of rec fed
 * seeded random, structured and mutated real inputs, 100,000 per parser by
 * default. A long run, never part of the test suite.
 *
 *   pnpm bench reliability [--inputs N] [--seed S] [--parsers h264,hevc,adts,ts,wav]
 *   pnpm bench reliability --parsers h264 --seed S --replay 4411   (one input: its bytes, its outcome)
 *
 * Parsers and what each input goes through:
 * - h264, hevc: `parseAccessUnits` (every access unit: DTS <= PTS, DTS
 *   increasing) and `muxElementaryStream` (strict on every other input; whole
 *   188-byte packets; each damaged range with start <= end), in chunks of a
 *   size drawn per input.
 * - adts: `readAdts`, chunked.
 * - ts: `readTs` (chunked, `keepPayload`) and `summarizeTs`.
 * - wav: `readWavInfo` and `joinWav` of the input alone over a 0.2-s window
 *   (@rec/mux), the input written to a file on /dev/shm (or the temp dir).
 * - mp4: `parseBoxes` (@rec/fmp4-boxes); every box inside its parent, every
 *   top-level box written back by `encodeBox` to the bytes it was read from,
 *   the samples of every trak and moof listed (the first 100,000 each).
 * - mpd: `parseMpd` and `resolveMpd` (@rec/mpd) at a fixed "now", SegmentBase
 *   indexes read from a real sidx; every segment with a finite start, an end
 *   not before it and an absolute URL that `localPathFor` maps inside the
 *   output directory or refuses with `MPD_UNSAFE_URL`.
 *
 * Inputs, drawn with fast-check from the seed (printed; a run is repeated
 * with `--seed`): half are real files (ffmpeg encodes made once, cached under
 * <tmpdir>/rec-bench/reliability; for mp4 and mpd the real files of
 * ../shared/fixtures: ffmpeg's MP4s and 150 MPDs from other projects) with 1-16 mutations each (bit flips, bytes
 * set, inserted, deleted, copied, zeroed, the format's magic numbers planted,
 * truncation), a fifth random bytes, the rest built from the format's own
 * structure with random fields (NAL units behind start codes, ADTS headers,
 * 188-byte packets with PSI/PES starts, RIFF chunk lists).
 *
 * Asserted per input: no exception but the package's error class
 * (`EsParseError`, `MuxError`, `BoxParseError`, `MpdError`) or a `TypeError` for an option; the
 * invariants above; no input over 5 s; RSS under 1 GiB. Each parser runs in
 * a worker thread whose current input the main thread can see (shared
 * memory), so an input that hangs is stopped after 60 s and one that grows
 * memory at 1 GiB of RSS; either is reported with its bytes. Failing inputs
 * are saved under <tmpdir>/rec-bench/reliability/failures and their first
 * bytes printed in hex.
 *
 * Prints per parser: inputs, outcomes by error code, failures, the slowest
 * input (ms) and the peak RSS of the process while it ran; then one line
 * `reliability: ... ratio=<slowest input / 5 s>` (the reference of a fuzz run
 * is its time limit: there is no other tool to time against).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isRecError } from '@rec/core';
import {
  type Codec,
  EsParseError,
  muxElementaryStream,
  muxSegments,
  parseAccessUnits,
  readAdts,
  readTs,
  summarizeTs,
} from '@rec/es-ts';
import {
  type Box,
  BoxParseError,
  encodeBox,
  findBoxes,
  listFragmentSamples,
  listTrackSamples,
  parseBoxes,
} from '@rec/fmp4-boxes';
import { localPathFor, MpdError, parseMpd, resolveMpd } from '@rec/mpd';
import { joinWav, MuxError, readWavInfo } from '@rec/mux';
import { encodeWavHeader } from '@rec/mux/wav';
import {
  encodeTestAudio,
  encodeTestVideo,
  runFfmpeg,
  testVideoEncoder,
  testVideoInput,
} from '@rec/test-support';
import fc from 'fast-check';

const PARSERS = ['h264', 'hevc', 'adts', 'ts', 'wav', 'mp4', 'mpd'] as const;
type Parser = (typeof PARSERS)[number];

const SLOW_MS = 5_000;
const HANG_MS = 60_000;
const RSS_LIMIT = 1 << 30;
/** Inputs drawn per fast-check sample: input i is sample (i % BATCH) of batch floor(i / BATCH). */
const BATCH = 500;
const work = join(tmpdir(), 'rec-bench', 'reliability');
const fixturesDir = join(work, 'fixtures');
/** WAV inputs go through files: on tmpfs when there is one. */
const scratchDir = join(existsSync('/dev/shm') ? '/dev/shm' : work, `rec-reliability-${process.pid}`);
const failuresDir = join(work, 'failures');
/** The real files other projects made (../shared/fixtures beside the repo, as the tests read them). */
const sharedFixtures = new URL('../../shared/fixtures/', import.meta.url);
/** Samples listed per trak or moof: a box may claim 2^32 of them, and listing them all is not a parser's fault. */
const MAX_SAMPLES = 100_000;
/** What the MPD inputs are resolved at: a fixed instant, so a run repeats. */
const MPD_NOW = Date.parse('2026-12-01T12:00:00Z');
const MPD_URL = 'https://cdn.example.com/live/channel/manifest.mpd';

// ---------------------------------------------------------------------------
// Real inputs (ffmpeg encodes), made once.

interface Fixtures {
  h264: Uint8Array[];
  hevc: Uint8Array[];
  adts: Uint8Array[];
  ts: Uint8Array[];
  wav: Uint8Array[];
  mp4: Uint8Array[];
  mpd: Uint8Array[];
  /** A real media segment with a sidx: what SegmentBase index reads of the MPD inputs get. */
  sidxSegment: Uint8Array;
}

/** The encoder options of testVideoEncoder with more x264/x265 parameters. */
function encoderWith(codec: Codec, base: Parameters<typeof testVideoEncoder>[0], extra: string): string[] {
  const args = testVideoEncoder({ codec, ...base });
  const at = args.indexOf(codec === 'h264' ? '-x264-params' : '-x265-params');
  args[at + 1] += `:${extra}`;
  return args;
}

async function cached(name: string, make: (file: string) => Promise<unknown>): Promise<Uint8Array> {
  const file = join(fixturesDir, name);
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) await make(file);
  return new Uint8Array(await readFile(file));
}

async function makeFixtures(): Promise<Fixtures> {
  await mkdir(fixturesDir, { recursive: true });
  const video = { seconds: 1, size: '160x96', gop: 10 };
  const raw = (codec: Codec, encoder: string[]) => async (file: string) =>
    runFfmpeg(['-v', 'error', ...testVideoInput(video), ...encoder, '-f', codec, file]);
  const h264 = await Promise.all([
    cached('bframes.h264', (f) => encodeTestVideo(f, { ...video, bframes: 3, format: 'h264' })),
    cached(
      'slices.h264',
      raw('h264', encoderWith('h264', { ...video, bframes: 2, aud: true, repeatHeaders: true }, 'slices=4')),
    ),
    cached('mbaff.h264', raw('h264', encoderWith('h264', { ...video, bframes: 2 }, 'interlaced=1'))),
    cached('opengop.h264', (f) =>
      encodeTestVideo(f, { ...video, bframes: 3, openGop: true, format: 'h264' }),
    ),
    cached(
      'baseline.h264',
      raw('h264', [...testVideoEncoder({ ...video, codec: 'h264' }), '-profile:v', 'baseline']),
    ),
  ]);
  const hevc = await Promise.all([
    cached('bframes.h265', (f) =>
      encodeTestVideo(f, { ...video, codec: 'hevc', bframes: 3, format: 'hevc' }),
    ),
    cached(
      'slices-cra.h265',
      raw(
        'hevc',
        encoderWith('hevc', { ...video, bframes: 2, openGop: true, repeatHeaders: true }, 'slices=2'),
      ),
    ),
    cached('nowpp.h265', raw('hevc', encoderWith('hevc', { ...video, bframes: 2 }, 'wpp=0'))),
  ]);
  const adts = await Promise.all([
    cached('mono48k.aac', (f) => encodeTestAudio(f, { seconds: 0.5, codec: 'aac', format: 'adts' })),
    cached('stereo44k.aac', (f) =>
      encodeTestAudio(f, { seconds: 0.5, sampleRate: 44_100, channels: 2, codec: 'aac', format: 'adts' }),
    ),
  ]);
  const ts = await Promise.all([
    cached('ffmpeg.ts', async (file) => {
      const aac = join(fixturesDir, 'mono48k.aac');
      await runFfmpeg([
        // The video's -t and -pix_fmt come after both inputs: output options.
        ...['-v', 'error', '-i', aac, ...testVideoInput(video)],
        ...testVideoEncoder({ ...video, bframes: 2 }),
        ...['-c:a', 'copy', '-f', 'mpegts', file],
      ]);
    }),
    cached('ours.ts', async (file) => {
      const parts: Uint8Array[] = [];
      const output = muxSegments([{ name: 'v', startTime: 0, source: h264[0]! }], {
        origin: 0,
        audio: readAdts(adts[0]!, { startPts: 126_000 }),
      });
      for await (const packet of output.packets) parts.push(packet);
      await writeFile(file, Buffer.concat(parts));
    }),
  ]);
  const wav = await Promise.all([
    cached('ffmpeg-8k.wav', (f) => encodeTestAudio(f, { seconds: 0.1, sampleRate: 8000 })),
    cached('ffmpeg-24bit-3ch.wav', (f) =>
      encodeTestAudio(f, { seconds: 0.05, sampleRate: 8000, channels: 3, codec: 'pcm_s24le' }),
    ),
    cached('minimal-44.wav', async (file) => {
      const format = {
        formatTag: 1,
        sampleRate: 8000,
        channels: 1,
        bitsPerSample: 16,
        blockAlign: 2,
        validBitsPerSample: 16,
        channelMask: 0,
      };
      const samples = Uint8Array.from({ length: 1600 }, (_, i) => (i * 37) & 0xff);
      await writeFile(file, Buffer.concat([encodeWavHeader(format, samples.length), samples]));
    }),
  ]);
  const mp4Dir = new URL('mp4/', sharedFixtures);
  const mp4Names = (await readdir(mp4Dir)).filter((name) => /\.(mp4|m4s)$/.test(name)).sort();
  const mp4 = await Promise.all(
    mp4Names.map(async (name) => new Uint8Array(await readFile(new URL(name, mp4Dir)))),
  );
  const mpdDir = new URL('mpd-corpus/', sharedFixtures);
  const mpdFiles = (await readdir(mpdDir, { recursive: true }))
    .filter((name) => name.endsWith('.mpd'))
    .sort();
  const mpd: Uint8Array[] = [];
  for (const name of mpdFiles) {
    const bytes = new Uint8Array(await readFile(new URL(name, mpdDir)));
    // The large ones (multi-megabyte SegmentLists) make each input slow without reaching more code.
    if (bytes.length <= 64 * 1024) mpd.push(bytes);
  }
  const sidxSegment = mp4[mp4Names.indexOf('06-dash_seg-0-00001.m4s')]!;
  return { h264, hevc, adts, ts, wav, mp4, mpd, sidxSegment };
}

// ---------------------------------------------------------------------------
// Inputs.

interface Input {
  bytes: Uint8Array;
  /** Chunk size the streaming parsers get it in (0: one chunk). */
  chunk: number;
  /** How it was made, for reports. */
  kind: string;
}

type Op =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'copy'; from: number; to: number; length: number }
  | { kind: 'fill'; at: number; length: number; value: number }
  | { kind: 'magic'; at: number; index: number };

/** Byte patterns each format's parser branches on, planted by the `magic` mutation. */
const MAGIC: Record<Parser, Uint8Array[]> = {
  h264: [
    [0, 0, 1],
    [0, 0, 0, 1],
    [0, 0, 3],
    [0, 0, 1, 0x67],
    [0, 0, 1, 0x68],
    [0, 0, 1, 0x65],
    [0, 0, 1, 0x06, 0x06],
  ].map((b) => Uint8Array.from(b)),
  hevc: [
    [0, 0, 1],
    [0, 0, 3],
    [0, 0, 1, 0x40, 1],
    [0, 0, 1, 0x42, 1],
    [0, 0, 1, 0x44, 1],
    [0, 0, 1, 0x26, 1],
    [0, 0, 1, 0x2a, 1],
  ].map((b) => Uint8Array.from(b)),
  adts: [
    [0xff, 0xf1],
    [0xff, 0xf9],
    [0xff, 0xff, 0xff],
    [0, 0, 0],
  ].map((b) => Uint8Array.from(b)),
  ts: [
    [0x47],
    [0x47, 0x40, 0, 0x10],
    [0x47, 0x41, 0, 0x10, 0, 0, 1, 0xe0],
    [0, 0, 1, 0xc0],
    [0xff, 0xff, 0xff, 0xff],
  ].map((b) => Uint8Array.from(b)),
  wav: ['RIFF', 'WAVE', 'fmt ', 'data', 'LIST', '\xff\xff\xff\xff', '\0\0\0\0', '\xfe\xff'].map((s) =>
    Uint8Array.from(s, (c) => c.charCodeAt(0)),
  ),
  // Box sizes (0 = to the end, 1 = a 64-bit largesize follows, under 8, huge), types with decoders, a full box's version.
  mp4: [
    '\0\0\0\0',
    '\0\0\0\x01',
    '\0\0\0\x07',
    '\xff\xff\xff\xff',
    '\0\0\0\x08moov',
    'trak',
    'stsd',
    'stsz',
    'trun',
    'sidx',
    'uuid',
    'mdat',
    'esds',
    'senc',
    '\x01\0\0\0',
  ].map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0))),
  // What the XML parser and the MPD rules branch on.
  mpd: [
    '<',
    '>',
    '</',
    '/>',
    '"',
    '&amp;',
    '&#x41;',
    '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    '$Number$',
    '$Time%020d$',
    '$$',
    ' r="-1"',
    ' t="18446744073709551615"',
    ' d="0"',
    'PT0S',
    'P1000000Y',
    'type="dynamic"',
    'availabilityStartTime="1970-01-01T00:00:00Z"',
    ' timescale="0"',
    ' duration="1"',
    '../../../etc/passwd',
    'file:///etc/passwd',
    'xmlns:undeclared',
  ].map((s) => new TextEncoder().encode(s)),
};

function mutate(base: Uint8Array, ops: readonly Op[], parser: Parser): Uint8Array {
  let bytes: Uint8Array = base.slice();
  for (const op of ops) {
    const n = bytes.length;
    if (n === 0) break;
    switch (op.kind) {
      case 'flip':
        bytes[op.at % n]! ^= 1 << op.bit;
        break;
      case 'set':
        bytes[op.at % n] = op.value;
        break;
      case 'insert':
        bytes = concat(bytes.subarray(0, op.at % n), op.bytes, bytes.subarray(op.at % n));
        break;
      case 'delete':
        bytes = concat(bytes.subarray(0, op.at % n), bytes.subarray((op.at % n) + op.length));
        break;
      case 'truncate':
        bytes = bytes.subarray(0, op.at % n);
        break;
      case 'copy': {
        const from = op.from % n;
        bytes.set(bytes.subarray(from, from + op.length).slice(), op.to % n > n - op.length ? 0 : op.to % n);
        break;
      }
      case 'fill':
        bytes.fill(op.value, op.at % n, (op.at % n) + op.length);
        break;
      case 'magic': {
        const magic = MAGIC[parser][op.index % MAGIC[parser].length]!;
        const at = op.at % n;
        if (at + magic.length <= n) bytes.set(magic, at);
        break;
      }
    }
  }
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const byte = fc.integer({ min: 0, max: 255 });
const position = fc.nat();

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: position, value: byte }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 256 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('copy' as const),
    from: position,
    to: position,
    length: fc.integer({ min: 1, max: 512 }),
  }),
  fc.record({
    kind: fc.constant('fill' as const),
    at: position,
    length: fc.integer({ min: 1, max: 64 }),
    value: fc.constantFrom(0, 0xff, 1, 3, 0x47),
  }),
  fc.record({ kind: fc.constant('magic' as const), at: position, index: fc.nat() }),
);

const u16le = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const u32le = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** Inputs built from the format's structure, with random fields. */
function structured(parser: Parser): fc.Arbitrary<Uint8Array> {
  switch (parser) {
    case 'h264':
    case 'hevc': {
      const header =
        parser === 'h264'
          ? fc
              .oneof(fc.constantFrom(0x67, 0x68, 0x65, 0x41, 0x01, 0x06, 0x09, 0x0a, 0x0c, 0x61, 0x21), byte)
              .map((b) => [b])
          : fc
              .tuple(
                fc.oneof(
                  fc.constantFrom(32, 33, 34, 19, 20, 21, 1, 0, 8, 9, 35, 36, 39, 40),
                  fc.integer({ min: 0, max: 63 }),
                ),
                fc.constantFrom(1, 1, 1, 2, 9, 0),
              )
              .map(([type, tid]) => [type << 1, tid]);
      const nal = fc.record({ four: fc.boolean(), header, body: fc.uint8Array({ maxLength: 300 }) });
      return fc
        .array(nal, { maxLength: 40 })
        .map((nals) =>
          Uint8Array.from(nals.flatMap((n) => [...(n.four ? [0] : []), 0, 0, 1, ...n.header, ...n.body])),
        );
    }
    case 'adts': {
      const frame = fc.record({
        header: fc.uint8Array({ minLength: 7, maxLength: 9 }),
        length: fc.oneof(fc.integer({ min: 0, max: 0x1fff }), fc.integer({ min: 7, max: 400 })),
        body: fc.uint8Array({ maxLength: 400 }),
        garbage: fc.uint8Array({ maxLength: 8 }),
      });
      return fc.array(frame, { maxLength: 60 }).map((frames) =>
        concat(
          ...frames.flatMap(({ header, length, body, garbage }) => {
            const h = header.slice();
            h[0] = 0xff;
            h[1] = 0xf0 | (h[1]! & 0x0f); // syncword 0xFFF
            h[3] = (h[3]! & 0xfc) | ((length >> 11) & 3); // aac_frame_length, 13 bits
            h[4] = (length >> 3) & 0xff;
            h[5] = ((length & 7) << 5) | (h[5]! & 0x1f);
            return [h, body, garbage];
          }),
        ),
      );
    }
    case 'ts': {
      const packet = fc.record({
        pid: fc.oneof(
          fc.constantFrom(0, 0x100, 0x101, 0x1000, 0x1fff, 0x11),
          fc.integer({ min: 0, max: 0x1fff }),
        ),
        flags: byte,
        afc: byte,
        start: fc.constantFrom('psi', 'pes', 'random'),
        fields: fc.uint8Array({ minLength: 184, maxLength: 184 }),
        garbage: fc.oneof(
          { arbitrary: fc.constant(new Uint8Array(0)), weight: 9 },
          { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
        ),
      });
      return fc.array(packet, { maxLength: 60 }).map((packets) =>
        concat(
          ...packets.flatMap(({ pid, flags, afc, start, fields, garbage }) => {
            const p = new Uint8Array(188);
            p[0] = 0x47;
            p[1] = (flags & 0xe0) | (pid >> 8);
            p[2] = pid & 0xff;
            p[3] = afc;
            p.set(fields, 4);
            if (start === 'psi') p.set([0, flags & 3 ? 2 : 0, 0xb0 | (fields[2]! & 0x0f)], 4); // pointer_field, table_id, section_length
            if (start === 'pes') p.set([0, 0, 1, flags & 1 ? 0xe0 : 0xc0], 4);
            return [p, garbage];
          }),
        ),
      );
    }
    case 'wav': {
      const chunkId = fc.oneof(
        fc.constantFrom('fmt ', 'data', 'LIST', 'JUNK', 'fact', '\0\0\0\0'),
        fc.string({ minLength: 4, maxLength: 4 }),
      );
      const size = fc.oneof(
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(0, 0xffffffff, 0x7fffffff, 16, 18, 40),
        fc.nat(),
      );
      const fmtBody = fc
        .record({
          tag: fc.constantFrom(1, 1, 0xfffe, 3, 0, 0x55),
          channels: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 0xffff })),
          rate: fc.oneof(fc.constantFrom(8000, 48000, 1, 0), fc.nat()),
          bits: fc.constantFrom(8, 16, 24, 32, 0, 12, 64),
          align: fc.option(fc.integer({ min: 0, max: 0xffff })),
          tail: fc.uint8Array({ maxLength: 24 }),
        })
        .map(({ tag, channels, rate, bits, align, tail }) =>
          Uint8Array.from([
            ...u16le(tag),
            ...u16le(channels),
            ...u32le(rate),
            ...u32le(rate * ((channels * bits) / 8)),
            ...u16le(align ?? (channels * bits) / 8),
            ...u16le(bits),
            ...tail,
          ]),
        );
      const chunk = fc.record({
        id: chunkId,
        size,
        body: fc.oneof(fmtBody, fc.uint8Array({ maxLength: 300 })),
      });
      return fc
        .record({
          riffSize: size,
          form: fc.constantFrom('WAVE', 'WAVE', 'AVI '),
          chunks: fc.array(chunk, { maxLength: 6 }),
        })
        .map(({ riffSize, form, chunks }) =>
          concat(
            Uint8Array.from([...'RIFF'].map((c) => c.charCodeAt(0))),
            Uint8Array.from(u32le(riffSize)),
            Uint8Array.from([...form].map((c) => c.charCodeAt(0))),
            ...chunks.flatMap(({ id, size, body }) => [
              Uint8Array.from([...id].map((c) => c.charCodeAt(0) & 0xff)),
              Uint8Array.from(u32le(size)),
              body,
            ]),
          ),
        );
    }
    case 'mp4':
      return structuredMp4();
    case 'mpd':
      return structuredMpd();
  }
}

const u32be = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

/** Container types the reader descends into, and types with a decoder (full boxes get a version and flags first). */
const MP4_CONTAINERS = [
  'moov',
  'trak',
  'mdia',
  'minf',
  'stbl',
  'moof',
  'traf',
  'mvex',
  'edts',
  'dinf',
  'udta',
  'mfra',
];
const MP4_LEAVES = [
  'ftyp',
  'styp',
  'mvhd',
  'tkhd',
  'mdhd',
  'hdlr',
  'vmhd',
  'smhd',
  'dref',
  'stsd',
  'stts',
  'ctts',
  'stss',
  'stsc',
  'stsz',
  'stz2',
  'stco',
  'co64',
  'sgpd',
  'sbgp',
  'elst',
  'mehd',
  'trex',
  'mfhd',
  'tfhd',
  'tfdt',
  'trun',
  'sidx',
  'ssix',
  'emsg',
  'prft',
  'tfra',
  'mfro',
  'pssh',
  'tenc',
  'senc',
  'saiz',
  'saio',
  'subs',
  'sdtp',
  'cslg',
  'meta',
  'ilst',
  'mdat',
  'free',
  'uuid',
];

/**
 * Box trees with random fields: each box a type (a container, a decoded
 * leaf or anything), a body of children or of random bytes behind a
 * version/flags word, and a size field that is right, or 0, 1, under 8,
 * or off by some bytes.
 */
function structuredMp4(): fc.Arbitrary<Uint8Array> {
  const sizeMode = fc.oneof(
    { arbitrary: fc.constant('right' as const), weight: 6 },
    {
      arbitrary: fc.constantFrom('zero' as const, 'large' as const, 'small' as const, 'off' as const),
      weight: 1,
    },
  );
  const header = (type: string, body: Uint8Array, mode: string, off: number) => {
    const size = 8 + body.length;
    switch (mode) {
      case 'zero':
        return concat(Uint8Array.from(u32be(0)), latin1(type), body);
      case 'large':
        return concat(
          Uint8Array.from(u32be(1)),
          latin1(type),
          Uint8Array.from([0, 0, 0, 0, ...u32be(size + 8)]),
          body,
        );
      case 'small':
        return concat(Uint8Array.from(u32be(off % 8)), latin1(type), body);
      case 'off':
        return concat(Uint8Array.from(u32be(Math.max(0, size + (off % 64) - 32))), latin1(type), body);
      default:
        return concat(Uint8Array.from(u32be(size)), latin1(type), body);
    }
  };
  const leaf = fc
    .record({
      type: fc.oneof(fc.constantFrom(...MP4_LEAVES), fc.string({ minLength: 4, maxLength: 4 })),
      version: fc.constantFrom(0, 0, 1, 2, 255),
      flags: fc.oneof(fc.constantFrom(0, 1, 0x20, 0xf01, 0xffffff), fc.integer({ min: 0, max: 0xffffff })),
      // Entry counts first, as most tables have: small, large, or 2^32 - 1.
      count: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(0xffffffff, 0x10000)),
      rest: fc.uint8Array({ maxLength: 160 }),
      mode: sizeMode,
      off: fc.nat(),
    })
    .map(({ type, version, flags, count, rest, mode, off }) =>
      header(
        type,
        concat(Uint8Array.from([version, ...u32be(flags).slice(1), ...u32be(count)]), rest),
        mode,
        off,
      ),
    );
  const { tree } = fc.letrec<{ tree: Uint8Array }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc
        .record({
          type: fc.constantFrom(...MP4_CONTAINERS),
          children: fc.array(tie('tree'), { maxLength: 5 }),
          mode: sizeMode,
          off: fc.nat(),
        })
        .map(({ type, children, mode, off }) => header(type, concat(...children), mode, off)),
    ),
  }));
  return fc.array(tree, { minLength: 1, maxLength: 6 }).map((boxes) => concat(...boxes));
}

/**
 * MPDs built from the addressing modes with attribute values drawn from
 * the edges (0, huge, negative, malformed durations and dates, r=-1,
 * templates with every identifier and width), static or dynamic.
 */
function structuredMpd(): fc.Arbitrary<Uint8Array> {
  // Mostly valid values, an edge one in ten: one bad attribute fails the whole MPD, and a resolver's edges need valid ones.
  const number = fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 90_000 }).map(String), weight: 9 },
    {
      arbitrary: fc.constantFrom(
        '0',
        '-1',
        '4294967296',
        '18446744073709551616',
        '1e400',
        'NaN',
        '',
        'x',
        '2.5',
      ),
      weight: 1,
    },
  );
  const duration = fc.oneof(
    { arbitrary: fc.nat({ max: 100_000 }).map((n) => `PT${n}S`), weight: 6 },
    { arbitrary: fc.constantFrom('PT0S', 'PT10S', 'PT2.002S', 'P1D', 'P1000000Y', 'PT1H2M3.5S'), weight: 3 },
    { arbitrary: fc.constantFrom('PT-5S', 'PT', 'bad', ''), weight: 1 },
  );
  const date = fc.constantFrom(
    '2026-12-01T11:00:00Z',
    '2026-12-01T11:59:00Z',
    '2026-12-01T13:00:00Z',
    '1970-01-01T00:00:00Z',
    '2001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2026-12-01T12:00:00',
    'yesterday',
  );
  const template = fc.constantFrom(
    '$RepresentationID$/$Number$.m4s',
    '$RepresentationID$/$Time$.m4s',
    'seg-$Number%05d$-$Bandwidth$.m4s',
    'seg-$Time%08x$.m4s',
    '$SubNumber$-$$-$Unknown$.m4s',
    '../../$Number$.m4s',
    'https://other.example.org/$Number$.m4s',
    'file:///etc/$Number$',
    '$Number',
  );
  const timeline = fc
    .array(
      fc.record({
        t: fc.option(number),
        d: number,
        r: fc.option(fc.constantFrom('-1', '0', '3', '100000', '-1', 'x')),
      }),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    .map(
      (entries) =>
        `<SegmentTimeline>${entries
          .map(
            ({ t, d, r }) => `<S${t === null ? '' : ` t="${t}"`} d="${d}"${r === null ? '' : ` r="${r}"`}/>`,
          )
          .join('')}</SegmentTimeline>`,
    );
  const addressing = fc.oneof(
    fc
      .record({
        media: template,
        timescale: number,
        duration: number,
        startNumber: number,
        pto: number,
        tl: fc.option(timeline),
      })
      .map(
        ({ media, timescale, duration, startNumber, pto, tl }) =>
          `<SegmentTemplate media="${media}" initialization="$RepresentationID$/init.mp4" timescale="${timescale}"` +
          `${tl === null ? ` duration="${duration}"` : ''} startNumber="${startNumber}" presentationTimeOffset="${pto}">${tl ?? ''}</SegmentTemplate>`,
      ),
    fc
      .record({
        count: fc.integer({ min: 0, max: 5 }),
        duration: number,
        range: fc.constantFrom('0-99', '100-', '5-1', 'x', ''),
      })
      .map(
        ({ count, duration, range }) =>
          `<SegmentList duration="${duration}" timescale="1000"><Initialization sourceURL="init.mp4" range="${range}"/>` +
          `${Array.from({ length: count }, (_, i) => `<SegmentURL media="s${i}.m4s" mediaRange="${i * 100}-${i * 100 + 99}"/>`).join('')}</SegmentList>`,
      ),
    fc
      .constantFrom('0-799', '796-1500', '0-', '99999999-99999999', '')
      .map(
        (range) =>
          `<BaseURL>one.mp4</BaseURL><SegmentBase indexRange="${range}"><Initialization range="0-795"/></SegmentBase>`,
      ),
  );
  return fc
    .record({
      dynamic: fc.boolean(),
      ast: date,
      mpd: duration,
      tsbd: fc.option(duration),
      periods: fc.array(
        fc.record({
          start: fc.option(duration),
          duration: fc.option(duration),
          reps: fc.array(addressing, { minLength: 1, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      baseUrl: fc.constantFrom(
        '',
        '<BaseURL>sub/</BaseURL>',
        '<BaseURL>https://b.example.net/x/</BaseURL>',
        '<BaseURL>../up/</BaseURL>',
      ),
    })
    .map(({ dynamic, ast, mpd, tsbd, periods, baseUrl }) =>
      new TextEncoder().encode(
        `<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="${dynamic ? 'dynamic' : 'static'}"` +
          ` availabilityStartTime="${ast}" mediaPresentationDuration="${mpd}"${tsbd === null ? '' : ` timeShiftBufferDepth="${tsbd}"`}` +
          ` minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-live:2011">${baseUrl}` +
          periods
            .map(
              (p, i) =>
                `<Period id="p${i}"${p.start === null ? '' : ` start="${p.start}"`}${p.duration === null ? '' : ` duration="${p.duration}"`}>` +
                `<AdaptationSet mimeType="video/mp4" contentType="video">${p.reps
                  .map(
                    (a, k) =>
                      `<Representation id="r${k}" bandwidth="${100_000 * (k + 1)}" codecs="avc1.64001f">${a}</Representation>`,
                  )
                  .join('')}</AdaptationSet></Period>`,
            )
            .join('') +
          '</MPD>',
      ),
    );
}

function inputArb(parser: Parser, fixtures: Fixtures): fc.Arbitrary<Input> {
  const bases = fixtures[parser];
  const mutated = fc
    .record({
      base: fc.integer({ min: 0, max: bases.length - 1 }),
      ops: fc.array(opArb, { minLength: 1, maxLength: 16 }),
    })
    .map(({ base, ops }) => ({ bytes: mutate(bases[base]!, ops, parser), kind: `mutated#${base}` }));
  const random = fc.uint8Array({ maxLength: 8192 }).map((bytes) => ({ bytes, kind: 'random' }));
  const built = structured(parser).map((bytes) => ({ bytes, kind: 'structured' }));
  const chunk = fc.oneof(
    fc.constant(0),
    fc.integer({ min: 3, max: 16 }).map((k) => 1 << k),
  );
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: mutated, weight: 5 },
        { arbitrary: random, weight: 2 },
        { arbitrary: built, weight: 3 },
      ),
      chunk,
    )
    .map(([input, chunk]) => ({ ...input, chunk }));
}

/** The seed of batch `batch` of a parser's inputs: the run's seed mixed with both. */
function batchSeed(seed: number, parser: Parser, batch: number): number {
  let h = seed ^ 0x9e3779b9;
  for (const c of parser) h = Math.imul(h ^ c.charCodeAt(0), 0x85ebca6b);
  return (Math.imul(h ^ batch, 0xc2b2ae35) ^ (batch * 0x27d4eb2f)) | 0;
}

function inputsOfBatch(arb: fc.Arbitrary<Input>, seed: number, parser: Parser, batch: number): Input[] {
  return fc.sample(arb, { seed: batchSeed(seed, parser, batch), numRuns: BATCH });
}

// ---------------------------------------------------------------------------
// Running one input.

/** A thrown error the input may cause, counted under its code; anything else is a failure. */
function expectedError(parser: Parser, error: unknown): string | undefined {
  if (error instanceof TypeError && error.message.startsWith('Expected `')) return 'TypeError (option)';
  const ours =
    parser === 'wav'
      ? error instanceof MuxError
      : parser === 'mp4'
        ? error instanceof BoxParseError
        : parser === 'mpd'
          ? error instanceof MpdError
          : error instanceof EsParseError;
  return ours && isRecError(error) ? error.code : undefined;
}

class Invariant extends Error {
  override readonly name = 'Invariant';
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Invariant(message);
}

function* chunksOf(input: Input): Generator<Uint8Array> {
  const { bytes, chunk } = input;
  if (chunk === 0) {
    yield bytes;
    return;
  }
  for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
}

async function runVideo(codec: Codec, input: Input, index: number): Promise<void> {
  let lastDts = Number.NEGATIVE_INFINITY;
  try {
    for await (const au of parseAccessUnits(chunksOf(input), { codec })) {
      check(au.dts <= au.pts, `access unit at ${au.byteOffset}: DTS ${au.dts} > PTS ${au.pts}`);
      check(au.dts > lastDts, `access unit at ${au.byteOffset}: DTS ${au.dts} after ${lastDts}`);
      lastDts = au.dts;
    }
  } catch (error) {
    if (error instanceof Invariant || expectedError(codec, error) === undefined) throw error;
    // parseAccessUnits threw for this input; the muxer still gets it (it cuts or skips instead).
  }
  const output = muxElementaryStream(chunksOf(input), { codec, strict: index % 2 === 1 });
  for await (const packet of output.packets) {
    check(
      packet.length % 188 === 0 && packet[0] === 0x47,
      `output of ${packet.length} bytes is not whole TS packets`,
    );
  }
  const result = await output.result;
  for (const d of result.damaged) check(d.start <= d.end, `damaged range ${d.start} > ${d.end}`);
}

async function runAdts(input: Input): Promise<void> {
  let lastPts = Number.NEGATIVE_INFINITY;
  for await (const frame of readAdts(chunksOf(input))) {
    check(frame.bytes.length >= 7, `ADTS frame of ${frame.bytes.length} bytes`);
    check(frame.pts >= lastPts, `ADTS PTS ${frame.pts} after ${lastPts}`);
    lastPts = frame.pts;
  }
}

async function runTs(input: Input): Promise<void> {
  try {
    await readTs(chunksOf(input), { keepPayload: true });
  } catch (error) {
    if (expectedError('ts', error) === undefined) throw error;
  }
  await summarizeTs(input.bytes);
}

async function runWav(input: Input, scratch: string): Promise<void> {
  const file = join(scratch, 'input.wav');
  await writeFile(file, input.bytes);
  let info: Awaited<ReturnType<typeof readWavInfo>> | undefined;
  try {
    info = await readWavInfo(file, { name: 'input.wav' });
  } catch (error) {
    if (expectedError('wav', error) === undefined) throw error;
  }
  if (info) {
    check(
      info.dataOffset + info.dataBytes <= info.fileSize,
      `data ${info.dataOffset}+${info.dataBytes} past the file`,
    );
    check(Number.isInteger(info.frames) && info.frames >= 0, `frames ${info.frames}`);
  }
  await joinWav({
    chunks: [{ file, startTime: 0, name: 'input.wav' }],
    window: { start: 0, end: 0.2 },
    output: join(scratch, 'joined.wav'),
  });
}

/** Every box inside its parent (or the file), children of a container inside it. */
function checkBoxTree(boxes: readonly Box[], start: number, end: number): void {
  for (const box of boxes) {
    check(
      box.offset >= start && box.size >= box.headerSize && box.offset + box.size <= end,
      `${box.path} @ ${box.offset} size ${box.size} outside [${start}, ${end})`,
    );
    if (box.children) checkBoxTree(box.children, box.offset + box.headerSize, box.offset + box.size);
  }
}

function countSamples(samples: Iterable<unknown>): void {
  let n = 0;
  for (const _ of samples) if (++n >= MAX_SAMPLES) break;
}

function runMp4(input: Input): void {
  const { bytes } = input;
  const boxes = parseBoxes(bytes);
  checkBoxTree(boxes, 0, bytes.length);
  for (const box of boxes) {
    // What the reader decoded, the writer writes back as it was read (the mdat bodies come from the input).
    const written = encodeBox(box, { original: bytes });
    const read = bytes.subarray(box.offset, box.offset + box.size);
    check(
      Buffer.compare(written, read) === 0 || box.sizeIsZero === true,
      `${box.path} @ ${box.offset}: writes back ${written.length} bytes that differ from the ${read.length} read`,
    );
  }
  for (const trak of findBoxes(boxes, 'moov/trak')) countSamples(listTrackSamples(trak));
  for (const moof of findBoxes(boxes, 'moof')) countSamples(listFragmentSamples(moof));
}

async function runMpd(input: Input, sidxSegment: Uint8Array): Promise<void> {
  const mpd = parseMpd(input.bytes, { url: MPD_URL });
  const resolved = await resolveMpd(mpd, {
    now: MPD_NOW,
    loadRange: async (location) => {
      const { first, last } = location.range ?? { first: 0 };
      return sidxSegment.subarray(first, last === undefined ? undefined : last + 1);
    },
  });
  for (const period of resolved.periods)
    for (const set of period.adaptationSets)
      for (const rep of set.representations)
        for (const segment of rep.segments) {
          check(
            Number.isFinite(segment.start) && segment.end >= segment.start,
            `${rep.representation.id}: segment ${segment.start}-${segment.end} s`,
          );
          check(
            URL.canParse(segment.url),
            `${rep.representation.id}: segment URL ${segment.url} is not absolute`,
          );
          // Where dashget would save it: inside the output directory, or refused with MPD_UNSAFE_URL.
          let local: string | undefined;
          try {
            local = localPathFor(segment.url, MPD_URL);
          } catch (error) {
            if (!(error instanceof MpdError)) throw error;
          }
          if (local !== undefined)
            check(
              !isAbsolute(local) && !normalize(local).split(/[\\/]/).includes('..'),
              `${segment.url} saved as ${local}, outside the output directory`,
            );
        }
}

async function runOne(
  parser: Parser,
  input: Input,
  index: number,
  scratch: string,
  fixtures: Fixtures,
): Promise<void> {
  switch (parser) {
    case 'h264':
    case 'hevc':
      return runVideo(parser, input, index);
    case 'adts':
      return runAdts(input);
    case 'ts':
      return runTs(input);
    case 'wav':
      return runWav(input, scratch);
    case 'mp4':
      return runMp4(input);
    case 'mpd':
      return runMpd(input, fixtures.sidxSegment);
  }
}

// ---------------------------------------------------------------------------
// The worker: one parser, inputs [from, to).

interface WorkerJob {
  parser: Parser;
  seed: number;
  from: number;
  to: number;
  /** Int32: [current input index, running (1) or between inputs (0)]; Float64 at byte 8: its start (Date.now()). */
  shared: SharedArrayBuffer;
  scratch: string;
}

interface Failure {
  index: number;
  kind: string;
  error: string;
  inputKind?: string;
  size?: number;
}

interface WorkerReport {
  outcomes: Record<string, number>;
  failures: Failure[];
  slowest: { ms: number; index: number };
  done: number;
}

async function runWorker(job: WorkerJob): Promise<void> {
  const fixtures = await makeFixtures();
  const arb = inputArb(job.parser, fixtures);
  const state = new Int32Array(job.shared, 0, 2);
  const started = new Float64Array(job.shared, 8, 1);
  const report: WorkerReport = { outcomes: {}, failures: [], slowest: { ms: 0, index: -1 }, done: 0 };
  await mkdir(job.scratch, { recursive: true });
  let batch = -1;
  let inputs: Input[] = [];
  for (let index = job.from; index < job.to; index++) {
    if (Math.floor(index / BATCH) !== batch) {
      batch = Math.floor(index / BATCH);
      inputs = inputsOfBatch(arb, job.seed, job.parser, batch);
    }
    const input = inputs[index % BATCH]!;
    started[0] = Date.now();
    Atomics.store(state, 0, index);
    Atomics.store(state, 1, 1);
    const t0 = performance.now();
    let outcome = 'ok';
    try {
      await runOne(job.parser, input, index, job.scratch, fixtures);
    } catch (error) {
      const code = error instanceof Invariant ? undefined : expectedError(job.parser, error);
      if (code !== undefined) outcome = code;
      else {
        outcome = 'FAILURE';
        const e = error as Error;
        report.failures.push({
          index,
          kind: error instanceof Invariant ? 'invariant' : 'exception',
          error: `${e?.name}: ${e?.message}\n${(e?.stack ?? '').split('\n').slice(1, 4).join('\n')}`,
          inputKind: input.kind,
          size: input.bytes.length,
        });
      }
    }
    const ms = performance.now() - t0;
    Atomics.store(state, 1, 0);
    report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
    if (ms > report.slowest.ms) report.slowest = { ms, index };
    if (ms > SLOW_MS) {
      report.failures.push({
        index,
        kind: 'slow',
        error: `${ms.toFixed(0)} ms`,
        inputKind: input.kind,
        size: input.bytes.length,
      });
    }
    report.done++;
    // What the main thread keeps if it has to stop this worker (a hang, memory).
    if (report.done % 1000 === 0) parentPort!.postMessage({ type: 'progress', report });
  }
  parentPort!.postMessage({ type: 'report', report });
}

// ---------------------------------------------------------------------------
// The main thread.

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const hex = (bytes: Uint8Array, max = 2048) =>
  `${Buffer.from(bytes.subarray(0, max)).toString('hex')}${bytes.length > max ? `... (${bytes.length} bytes)` : ''}`;

interface ParserRun {
  parser: Parser;
  inputs: number;
  outcomes: Record<string, number>;
  failures: Failure[];
  slowest: { ms: number; index: number };
  peakRssMb: number;
  seconds: number;
}

/** Starts a worker that runs this file with the tsx loader (a worker does not inherit `--import tsx`). */
function startWorker(job: WorkerJob): Worker {
  const loader = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  // A V8 heap that grows past this is a failure too (ERR_WORKER_OUT_OF_MEMORY); ArrayBuffers are watched by RSS.
  return new Worker(code, { eval: true, workerData: job, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
}

async function runParser(parser: Parser, seed: number, total: number): Promise<ParserRun> {
  const run: ParserRun = {
    parser,
    inputs: 0,
    outcomes: {},
    failures: [],
    slowest: { ms: 0, index: -1 },
    peakRssMb: 0,
    seconds: 0,
  };
  const t0 = performance.now();
  let from = 0;
  while (from < total) {
    const shared = new SharedArrayBuffer(16);
    const state = new Int32Array(shared, 0, 2);
    const started = new Float64Array(shared, 8, 1);
    const worker = startWorker({ parser, seed, from, to: total, shared, scratch: join(scratchDir, parser) });
    let progress: WorkerReport | undefined;
    const stopped = await new Promise<{ report?: WorkerReport; failure?: Failure; last: number }>(
      (resolve) => {
        const timer = setInterval(() => {
          const rss = process.memoryUsage.rss();
          run.peakRssMb = Math.max(run.peakRssMb, rss / 2 ** 20);
          const index = Atomics.load(state, 0);
          const running = Atomics.load(state, 1) === 1;
          const ms = running ? Date.now() - started[0]! : 0;
          // An input over SLOW_MS that ends is reported by the worker; one that does not end is a hang.
          const failure: Failure | undefined =
            rss > RSS_LIMIT
              ? { index, kind: 'memory', error: `RSS ${(rss / 2 ** 20).toFixed(0)} MB` }
              : running && ms > HANG_MS
                ? { index, kind: 'hang', error: `still running after ${ms} ms` }
                : undefined;
          if (failure) {
            clearInterval(timer);
            void worker.terminate().then(() => resolve({ failure, last: index }));
          }
        }, 100);
        worker.on('message', (message: { type: string; report: WorkerReport }) => {
          if (message.type === 'progress') progress = message.report;
          if (message.type === 'report') {
            clearInterval(timer);
            resolve({ report: message.report, last: total - 1 });
          }
        });
        worker.on('error', (error) => {
          clearInterval(timer);
          const index = Atomics.load(state, 0);
          resolve({
            failure: { index, kind: 'memory', error: `worker died: ${error.message}` },
            last: index,
          });
        });
      },
    );
    // A worker stopped mid-input: its counts up to its last progress report, the input as a failure; the rest goes on.
    const report = stopped.report ?? progress;
    if (report) {
      run.inputs += report.done;
      for (const [code, count] of Object.entries(report.outcomes))
        run.outcomes[code] = (run.outcomes[code] ?? 0) + count;
      run.failures.push(...report.failures);
      if (report.slowest.ms > run.slowest.ms) run.slowest = report.slowest;
    }
    if (stopped.failure) {
      run.failures.push(stopped.failure);
      run.inputs++;
    }
    from = stopped.last + 1;
  }
  run.seconds = (performance.now() - t0) / 1000;
  return run;
}

async function saveFailures(run: ParserRun, seed: number, fixtures: Fixtures): Promise<void> {
  if (run.failures.length === 0) return;
  await mkdir(failuresDir, { recursive: true });
  const arb = inputArb(run.parser, fixtures);
  for (const [k, failure] of run.failures.entries()) {
    const input = inputsOfBatch(arb, seed, run.parser, Math.floor(failure.index / BATCH))[
      failure.index % BATCH
    ]!;
    const file = join(failuresDir, `${run.parser}-${seed}-${failure.index}.bin`);
    await writeFile(file, input.bytes);
    if (k < 5) {
      console.log(
        `  FAILURE ${failure.kind} at input #${failure.index} (${input.kind}, ${input.bytes.length} bytes, chunks of ${input.chunk || 'all'}): ${failure.error}`,
      );
      console.log(`    saved as ${file}; hex: ${hex(input.bytes)}`);
    }
  }
  if (run.failures.length > 5)
    console.log(`  ... and ${run.failures.length - 5} more failures (all saved in ${failuresDir})`);
}

async function replay(parser: Parser, seed: number, index: number, fixtures: Fixtures): Promise<void> {
  const input = inputsOfBatch(inputArb(parser, fixtures), seed, parser, Math.floor(index / BATCH))[
    index % BATCH
  ]!;
  console.log(
    `${parser} #${index} (${input.kind}, ${input.bytes.length} bytes, chunks of ${input.chunk || 'all'}): ${hex(input.bytes, 1 << 20)}`,
  );
  const t0 = performance.now();
  try {
    await mkdir(join(scratchDir, 'replay'), { recursive: true });
    await runOne(parser, input, index, join(scratchDir, 'replay'), fixtures);
    console.log(`ok in ${(performance.now() - t0).toFixed(1)} ms`);
  } catch (error) {
    console.log(`threw after ${(performance.now() - t0).toFixed(1)} ms:`, error);
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const total = Number(argument('inputs') ?? 100_000);
  if (!Number.isSafeInteger(total) || total < 1)
    throw new Error(`--inputs must be a positive integer, got ${argument('inputs')}`);
  const seedArg = argument('seed');
  const seed = seedArg === undefined ? (Math.random() * 2 ** 32) | 0 : Number(seedArg);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got ${seedArg}`);
  const parsers = (argument('parsers')?.split(',') ?? [...PARSERS]) as Parser[];
  for (const p of parsers)
    if (!PARSERS.includes(p)) throw new Error(`unknown parser ${p}; known: ${PARSERS.join(', ')}`);
  const fixtures = await makeFixtures();
  const replayIndex = argument('replay');
  if (replayIndex !== undefined) {
    await replay(parsers[0]!, seed, Number(replayIndex), fixtures);
    return;
  }
  console.log(
    `bench/reliability: seed=${seed} inputs=${total} per parser (${parsers.join(', ')}); WAV inputs written under ${scratchDir}`,
  );
  const runs: ParserRun[] = [];
  for (const parser of parsers) {
    const run = await runParser(parser, seed, total);
    runs.push(run);
    const outcomes = Object.entries(run.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([code, count]) => `${code} ${count}`)
      .join(', ');
    console.log(
      `${parser}: ${run.inputs} inputs in ${run.seconds.toFixed(1)} s (${((run.seconds * 1000) / Math.max(1, run.inputs)).toFixed(2)} ms each): ${outcomes}; ` +
        `failures ${run.failures.length}; slowest ${run.slowest.ms.toFixed(1)} ms (#${run.slowest.index}); peak RSS ${run.peakRssMb.toFixed(0)} MB`,
    );
    await saveFailures(run, seed, fixtures);
  }
  await rm(scratchDir, { recursive: true, force: true });
  const inputs = runs.reduce((sum, r) => sum + r.inputs, 0);
  const failures = runs.reduce((sum, r) => sum + r.failures.length, 0);
  const slowest = Math.max(...runs.map((r) => r.slowest.ms));
  const peak = Math.max(...runs.map((r) => r.peakRssMb));
  const kinds = (kind: string) =>
    runs.reduce((sum, r) => sum + r.failures.filter((f) => f.kind === kind).length, 0);
  console.log(
    `reliability: parsers=${runs.length} inputs=${inputs} failures=${failures} (exceptions=${kinds('exception')} invariants=${kinds('invariant')} ` +
      `slow=${kinds('slow')} hangs=${kinds('hang')} memory=${kinds('memory')}) slowest_ms=${slowest.toFixed(1)} ` +
      `peak_rss_mb=${peak.toFixed(0)} seed=${seed} ratio=${(slowest / SLOW_MS).toFixed(4)}`,
  );
  if (failures > 0) process.exitCode = 1;
}

if (isMainThread) {
  await main();
} else {
  await runWorker(workerData as WorkerJob);
}
