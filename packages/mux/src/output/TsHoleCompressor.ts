import { TS_CLOCK } from '@rec/es-ts';
import { PesTimestampPrefix, readPcr, readPesTimestamp, writePcr, writePesTimestamp } from '@rec/es-ts/ts';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import type { RemovedHole } from './restoreMp4Holes.js';

/** 2^33: PTS, DTS and PCR_base are 33-bit counts of 90 kHz ticks (ISO/IEC 13818-1 2.4.3.7, 2.4.2.2). */
const WRAP = 2 ** 33;
const PACKET = 188;
const SYNC = 0x47;
/** A timestamp this far behind the previous one is a step back (a PCR before the DTS, a B-frame), not a wrap. */
const BACKWARD = 600 * TS_CLOCK;

/**
 * ffmpeg's MPEG-TS reader does not unwrap timestamps that start near 0 (its
 * wrap reference is 60 s before the first one, so it is negative): every
 * timestamp it reads must stay below 2^33. One hour is kept free above the
 * last one written.
 */
export const TS_TIMELINE_LIMIT = WRAP - 3600 * TS_CLOCK;

/** One hole the compressor took out of the TS. */
export interface CompressedHole {
  /** Decode-order index of the first video access unit (PES) after the hole: its MP4 sample number - 1. */
  sample: number;
  /** 90 kHz ticks removed (a multiple of `quantum`). */
  removed: number;
  /** PTS of that first access unit as the TS carries it (33 bits). */
  pts: number;
  /** The same PTS unwrapped, on the writer's timeline, as far as the TS tells (holes taken < 26.5 h). */
  realPts: number;
}

export interface TsHoleCompressorOptions {
  /** Holes longer than this (90 kHz ticks) are compressed. */
  threshold: number;
  /** What a compressed hole keeps (90 kHz ticks, about). */
  keep: number;
  /** `removed` is a multiple of this (so it is exact in the MP4 track and movie timescales). */
  quantum: number;
  /** Unwrapped PTS of `window.start`: holes are compressed only after it (earlier ones shift the window). */
  startPts: number;
  /** Whether to compress holes after `startPts` (long windows). */
  compress: boolean;
  /** Whether to drop what lies before a gap before `startPts` (MP4: it is hidden; TS keeps it). */
  dropBeforeStart: boolean;
  /** Hears the decoding time (unwrapped, before compression) of each video access unit passed on. */
  onVideoTime?: (dts: number) => void;
}

/** A gap this long before `window.start` leaves everything before it unpresented, and it is dropped. */
const PRE_START_GAP = 10 * TS_CLOCK;
/** Packets held while looking for such a gap: what es-ts keeps before `start` is one GOP. */
const MAX_HELD_BYTES = 64 << 20;

/**
 * Takes long holes out of an MPEG-TS on its way to ffmpeg, so that its
 * timestamps stay below 2^33 (ffmpeg's TS reader cannot unwrap them; see
 * `TS_TIMELINE_LIMIT`) and every hole stays short. Each hole longer than
 * `threshold` after `startPts` is shortened to about `keep`: every later
 * PTS/DTS (PES header, 2.4.3.7) and PCR/OPCR (adaptation field, 2.4.3.4) is
 * moved back by the same amount, in place. `holes` says where and by how
 * much, so the MP4 sample table can be given the time back
 * (`restoreMp4Holes`).
 *
 * Before `startPts`, packets are held until the window starts: when a gap
 * of more than 10 s opens before it (es-ts keeps the keyframe GOP before
 * `start`, which after a camera outage may be hours earlier), the PES
 * packets before the gap are dropped: none of them is presented, and
 * ffmpeg would read their far-negative timestamps wrapped (the MP4 came
 * out empty). PSI packets are kept.
 */
export class TsHoleCompressor {
  readonly holes: CompressedHole[] = [];
  /** Video access units (PES starts on a video stream_id) seen. */
  videoSamples = 0;
  readonly #options: TsHoleCompressorOptions;
  /** Unwrapped value of the last timestamp read, and the largest. */
  #last: number | undefined;
  #max = Number.NEGATIVE_INFINITY;
  /** Ticks removed so far, in how many holes. */
  #offset = 0;
  #compressions = 0;
  /** A hole seen, waiting for the first video PES after it. */
  #pending: { removed: number } | undefined;
  /** PIDs that carry PES (the others, PAT/PMT/SDT, are never dropped). */
  readonly #pesPids = new Set<number>();
  /** Packets held before the window start: views, with their PID and whether each starts a video PES. */
  #held: { packet: Uint8Array; pid: number; videoStart: boolean }[] | undefined = [];
  #heldBytes = 0;
  /** Set by `#see` while a packet is processed. */
  #dropHeld = false;
  #release = false;
  #videoStartInPacket = false;
  /** Video PES starts dropped before the window start. */
  droppedSamples = 0;
  /** Set when the input is not a TS: passed through untouched from then on. */
  #lost = false;

  constructor(options: TsHoleCompressorOptions) {
    this.#options = options;
    if (!options.dropBeforeStart) this.#held = undefined;
  }

  /**
   * Rewrites the timestamps of the whole packets in `bytes`, in place, and
   * returns what may go on now: nothing while packets before the window
   * start are held, else the packets (held ones first).
   */
  push(bytes: Uint8Array): Uint8Array[] {
    if (this.#lost) return [bytes];
    for (let at = 0; at < bytes.length; at += PACKET) {
      if (bytes[at] === SYNC) continue;
      // Not a TS (or a damaged one): nothing to rewrite; ffmpeg will say what it is. Only safe
      // while no time has been taken out.
      if (this.#offset !== 0) {
        throw new MuxError(
          MuxErrorCode.FfmpegFailed,
          `video TS: sync lost at a packet after ${this.videoSamples} pictures`,
        );
      }
      this.#lost = true;
      return [...this.flush(), bytes];
    }
    if (this.#held === undefined) {
      for (let at = 0; at + PACKET <= bytes.length; at += PACKET) this.#packet(bytes, at);
      return [bytes];
    }
    for (let at = 0; at + PACKET <= bytes.length; at += PACKET) {
      this.#dropHeld = false;
      this.#release = false;
      this.#videoStartInPacket = false;
      const pid = ((bytes[at + 1]! & 0x1f) << 8) | bytes[at + 2]!; // PID
      this.#packet(bytes, at);
      if (this.#dropHeld) this.#drop();
      const held = this.#held;
      held.push({ packet: bytes.subarray(at, at + PACKET), pid, videoStart: this.#videoStartInPacket });
      this.#heldBytes += PACKET;
      if (this.#release || this.#heldBytes >= MAX_HELD_BYTES) {
        this.#held = undefined;
        const out = [joinPackets(held)];
        const rest = at + PACKET;
        if (rest < bytes.length) {
          const tail = bytes.subarray(rest);
          for (let next = 0; next + PACKET <= tail.length; next += PACKET) this.#packet(tail, next);
          out.push(tail);
        }
        return out;
      }
    }
    return [];
  }

  /** What is still held at the end of the stream. */
  flush(): Uint8Array[] {
    const held = this.#held;
    this.#held = undefined;
    return held && held.length > 0 ? [joinPackets(held)] : [];
  }

  #drop(): void {
    const held = this.#held ?? [];
    const kept = held.filter((entry) => !this.#pesPids.has(entry.pid));
    this.droppedSamples += held.filter((entry) => entry.videoStart).length;
    this.videoSamples -= held.filter((entry) => entry.videoStart).length;
    this.#held = kept;
    this.#heldBytes = kept.length * PACKET;
  }

  #packet(b: Uint8Array, at: number): void {
    const pusi = (b[at + 1]! & 0x40) !== 0; // payload_unit_start_indicator
    const control = (b[at + 3]! >> 4) & 0x3; // adaptation_field_control
    let payload = at + 4;
    if (control & 0x2) {
      const length = b[at + 4]!; // adaptation_field_length
      if (length > 0) {
        const flags = b[at + 5]!;
        let field = at + 6;
        if (flags & 0x10) {
          this.#pcr(b, field); // program_clock_reference
          field += 6;
        }
        if (flags & 0x08) this.#pcr(b, field); // original_program_clock_reference
      }
      payload = at + 5 + length;
    }
    if (!pusi || !(control & 0x1) || payload + 9 > at + PACKET) return;
    // PES: packet_start_code_prefix 0x000001, stream_id (2.4.3.6). No PSI section starts this way
    // (pointer_field 0, then table_id 0 is followed by section_syntax_indicator = 1).
    if (b[payload] !== 0 || b[payload + 1] !== 0 || b[payload + 2] !== 1) return;
    const streamId = b[payload + 3]!;
    this.#pesPids.add(((b[at + 1]! & 0x1f) << 8) | b[at + 2]!);
    if (!hasPesHeader(streamId)) return;
    const ptsDtsFlags = b[payload + 7]! >> 6; // PTS_DTS_flags
    const video = streamId >= 0xe0 && streamId <= 0xef;
    if (ptsDtsFlags & 0x2) {
      const pts = payload + 9;
      if (pts + (ptsDtsFlags === 0x3 ? 10 : 5) > at + PACKET) {
        throw new MuxError(
          MuxErrorCode.FfmpegFailed,
          'video TS: a PES header does not fit in its first packet',
        );
      }
      const ptsValue = readPesTimestamp(b, pts);
      let decoding: number;
      if (ptsDtsFlags === 0x3) {
        // With a DTS, the decoding time is what orders the stream.
        decoding = this.#timestamp(b, pts + 5, PesTimestampPrefix.Dts);
        this.#timestamp(b, pts, PesTimestampPrefix.PtsWithDts);
      } else {
        decoding = this.#timestamp(b, pts, PesTimestampPrefix.PtsOnly);
      }
      if (video) {
        this.#videoStart(ptsValue);
        this.#options.onVideoTime?.(decoding);
      }
    } else if (video) {
      this.#videoStart(undefined);
    }
  }

  #videoStart(pts: number | undefined): void {
    this.#videoStartInPacket = true;
    if (this.#pending !== undefined && pts !== undefined) {
      this.holes.push({
        sample: this.videoSamples,
        removed: this.#pending.removed,
        pts,
        realPts: this.#unwrap(pts),
      });
      this.#pending = undefined;
    }
    this.videoSamples += 1;
  }

  /** Unwrapped value of a 33-bit timestamp read now (relative to the last one). */
  #unwrap(value: number): number {
    if (this.#last === undefined) return value >= WRAP / 2 ? value - WRAP : value; // a start just before 0 wrapped
    let step = (((value - this.#last) % WRAP) + WRAP) % WRAP;
    if (step > WRAP - BACKWARD) step -= WRAP;
    return this.#last + step;
  }

  /** Reads the timestamp at `at`, notes holes, writes it back moved by the removed ticks. */
  #timestamp(b: Uint8Array, at: number, prefix: PesTimestampPrefix): number {
    const real = this.#see(readPesTimestamp(b, at));
    if (this.#offset !== 0) writePesTimestamp(b, at, prefix, real - this.#offset);
    return real;
  }

  #pcr(b: Uint8Array, at: number): void {
    const value = readPcr(b, at);
    const base = Math.floor(value / 300);
    const real = this.#see(base);
    if (this.#offset !== 0) writePcr(b, at, real - this.#offset, value - base * 300);
  }

  #see(value: number): number {
    const real = this.#unwrap(value);
    this.#last = real;
    const { threshold, keep, quantum, startPts, compress } = this.#options;
    if (this.#held !== undefined) {
      if (real > this.#max + PRE_START_GAP && this.#max < startPts && this.#max > Number.NEGATIVE_INFINITY) {
        // Everything before this gap ends before the window starts: not presented, not needed.
        this.#dropHeld = true;
        this.#max = Number.NEGATIVE_INFINITY;
      }
      if (real >= startPts) this.#release = true;
    }
    if (compress && real > this.#max + threshold && this.#max > Number.NEGATIVE_INFINITY) {
      // Only the part after the window start: what is before it moves the whole window.
      const from = Math.max(this.#max, startPts);
      // Each shortened hole a different length (1 s apart), so the MP4 sample before it gets an stts
      // entry of its own even when a single frame separates two holes.
      const kept = keep + this.#compressions * TS_CLOCK;
      const removed = Math.floor(Math.max(0, real - from - kept) / quantum) * quantum;
      if (removed > 0) {
        this.#compressions += 1;
        this.#offset += removed;
        this.#pending = { removed: (this.#pending?.removed ?? 0) + removed };
      }
    }
    this.#max = Math.max(this.#max, real);
    if (real - this.#offset >= TS_TIMELINE_LIMIT) {
      throw new MuxError(
        MuxErrorCode.TimelineTooLong,
        `the video runs ${((real - this.#offset) / TS_CLOCK / 3600).toFixed(1)} h without a hole to take out: ` +
          `ffmpeg's MPEG-TS reader takes at most ${(TS_TIMELINE_LIMIT / TS_CLOCK / 3600).toFixed(1)} h of timestamps. ` +
          'Record a shorter window, or write TS (`format: "ts"`), which has no such limit.',
      );
    }
    return real;
  }
}

/** stream_ids whose PES packets have the optional header with PTS/DTS (2.4.3.7, Table 2-21 note). */
function hasPesHeader(streamId: number): boolean {
  return ![0xbc, 0xbe, 0xbf, 0xf0, 0xf1, 0xf2, 0xf8, 0xff].includes(streamId);
}

/**
 * Passes a TS through `compressor`, in whole packets: a chunk's trailing
 * partial packet is held and joined to the next chunk. The chunks are
 * rewritten in place (es-ts and file streams give fresh memory).
 */
export async function* compressTsHoles(
  ts: AsyncIterable<Uint8Array>,
  compressor: TsHoleCompressor,
): AsyncGenerator<Uint8Array> {
  let rest: Uint8Array | undefined;
  for await (const chunk of ts) {
    let bytes = chunk;
    if (rest !== undefined) {
      bytes = new Uint8Array(rest.length + chunk.length);
      bytes.set(rest);
      bytes.set(chunk, rest.length);
      rest = undefined;
    }
    const whole = bytes.length - (bytes.length % PACKET);
    if (whole < bytes.length) rest = bytes.slice(whole);
    if (whole > 0) yield* compressor.push(bytes.subarray(0, whole));
  }
  yield* compressor.flush();
  if (rest !== undefined) yield rest; // not a whole packet: ffmpeg reports it as it would have
}

function joinPackets(entries: readonly { packet: Uint8Array }[]): Uint8Array {
  const out = new Uint8Array(entries.length * PACKET);
  for (const [i, entry] of entries.entries()) out.set(entry.packet, i * PACKET);
  return out;
}

/**
 * The holes' real lengths. A TS cannot tell a hole of h from one of
 * h + k * 26.5 h (its timestamps wrap every 2^33 ticks); what wrote the TS
 * can: `firstPts` are the unwrapped PTS of each segment's first picture
 * (es-ts `muxSegments(...).result`'s `segments`). Each hole is matched to
 * the segment whose first PTS is the one after the hole, 2^33 apart from
 * what the TS said at most a few times over, and takes the missing wraps.
 * Without `firstPts`, holes are taken as shorter than 26.5 h.
 */
export function resolveHoleLengths(
  holes: readonly CompressedHole[],
  firstPts: readonly (number | undefined)[] | undefined,
): RemovedHole[] {
  const known = new Set(firstPts?.filter((pts): pts is number => pts !== undefined));
  let wraps = 0;
  return holes.map((hole) => {
    const believed = hole.realPts + wraps * WRAP;
    for (let k = 0; known.size > 0 && k < 64; k++) {
      if (known.has(believed + k * WRAP)) {
        wraps += k;
        break;
      }
    }
    return { sample: hole.sample, removed: hole.removed + (hole.realPts + wraps * WRAP - believed) };
  });
}
