import {
  expectNumber,
  invalidOption,
  makeProgress,
  type ProgressListener,
  ProgressUnit,
  WarningLog,
} from '@rec/core';
import { ByteRuns } from './ByteRuns.js';
import { ParameterSetCarry } from './bitstream/ParameterSetCarry.js';
import { DEFAULT_START_PTS, TS_CLOCK } from './clock.js';
import { EsDamageReason } from './EsDamage.js';
import type { EsMuxOutput, EsMuxResult, EsSegmentSummary } from './EsMuxResult.js';
import { EsParseError, EsParseErrorCode } from './EsParseError.js';
import { type DamagedFrom, EsParser, type ParserDamage } from './EsParser.js';
import { EsWarningCode } from './EsWarningCode.js';
import { expectCodec, expectFrameRate, expectTicks } from './expectOption.js';
import { isIterable } from './isIterable.js';
import { OutputBufferPool } from './OutputBufferPool.js';
import type { TsTarget } from './TsTarget.js';
import { DamageLedger } from './timeline/DamageLedger.js';
import { SegmentTimeline, type TimelineStep } from './timeline/SegmentTimeline.js';
import { TsWriter } from './ts/TsWriter.js';
import { type AccessUnit, type AudioFrame, Codec } from './types.js';

/** One elementary-stream file placed on the recording's timeline. */
export interface EsSegment {
  name: string;
  /** Timeline seconds at which this segment's first presented picture is shown. */
  startTime: number;
  source: Uint8Array | (() => AsyncIterable<Uint8Array> | Iterable<Uint8Array>);
  /**
   * The segment is known to be damaged from this byte on, by a check of
   * the caller's (a decoder could not decode its last picture whole: see
   * `findLastPicture`): it is cut there like a segment that ends inside a
   * picture (`truncated`, `ES_SEGMENT_CUT`, or the `strict` failure).
   */
  damagedFrom?: DamagedFrom;
}

export interface MuxSegmentsOptions {
  /** Default h264. */
  codec?: Codec;
  /** Frames per second for streams without VUI timing. */
  frameRate?: number;
  /** Timeline seconds that map to PTS `basePts`. */
  origin: number;
  /** 90 kHz; default 126000 (1.4 s) so the DTS of reordered streams stay positive. */
  basePts?: number;
  /**
   * Timeline window: output starts at the last keyframe at or before `start`
   * and stops after the last access unit (decoding order) whose PTS < `end`.
   */
  keep?: { start: number; end: number };
  /**
   * AAC (ADTS) frames for a second PID, with PTS on the same 90 kHz timeline
   * (e.g. `readAdts(file, { startPts })`), in order. They are interleaved
   * with the video by time, as a decoder needs them: each frame goes before
   * the first access unit whose DTS is later than its PTS. `keep` does not
   * apply to them: pass the frames the recording should carry.
   */
  audio?: AsyncIterable<AudioFrame> | Iterable<AudioFrame>;
  /**
   * A damaged segment fails the whole output with an `EsParseError` (its
   * `source` the segment's name, `offset` where in it): `ES_TRUNCATED` for
   * one that is empty or ends inside a picture, the parse error's own code
   * otherwise. Default false: it is skipped or cut, warned about and listed
   * in `damaged`.
   */
  strict?: boolean;
  signal?: AbortSignal;
  /** After each input chunk: bytes read so far (no `total`: segments may be streams). */
  onProgress?: ProgressListener;
}

const CHUNK = 1 << 20;

/**
 * Segments of H.264/H.265 elementary stream -> one MPEG-TS on a common
 * timeline. Each segment is parsed on its own (fresh decoder state) and its
 * first presented picture is put at its `startTime`; gaps stay gaps.
 *
 * Overlaps: when a segment starts before the previous one ends, its pictures
 * are dropped in decoding order up to the first keyframe that is presented
 * at or after the previous end (decoding restarts cleanly there; nothing is
 * shifted), and the overlap is reported in `overlaps` and `warnings`.
 *
 * The parameter sets of every picture dropped (by the overlap rule, `keep`,
 * or before a segment's first keyframe) go ahead of the next one written, so
 * the first keyframe written decodes even when its segment carried its
 * SPS/PPS only at the start.
 *
 * Damaged segments (one rule for all, unless `strict`): a segment with no
 * bytes or no decodable picture (random bytes, another codec, no keyframe)
 * is skipped; one that ends inside a picture, or has bytes that cannot be
 * parsed after decodable pictures, is cut there (the pictures complete
 * before it are written, the incomplete one is not). Each is a warning
 * (`ES_EMPTY_SEGMENT`, `ES_SEGMENT_SKIPPED`, `ES_SEGMENT_CUT`) naming the
 * segment, the byte offset and the time lost, and an entry of `damaged`
 * with that time on the timeline. When no segment has a decodable picture,
 * nothing useful can be written: the first one's error is thrown.
 *
 * Bad options throw a `TypeError` at once (a bad segment `startTime` when
 * that segment is reached).
 */
export function muxSegments(
  segments: AsyncIterable<EsSegment> | Iterable<EsSegment>,
  options: MuxSegmentsOptions,
): EsMuxOutput {
  checkOptions(segments, options);
  let resolve!: (result: EsMuxResult) => void;
  let reject!: (error: unknown) => void;
  const result = new Promise<EsMuxResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The caller may only consume `packets`; a failure must not also surface as an unhandled rejection.
  result.catch(() => {});
  let pool: OutputBufferPool | undefined;
  let started = false;
  async function* packets(): AsyncGenerator<Uint8Array> {
    started = true;
    let job: SegmentMuxJob | undefined;
    try {
      job = new SegmentMuxJob(options, pool);
      yield* job.run(segments);
      resolve(job.result());
    } catch (error) {
      reject(error);
      throw error;
    } finally {
      // Lets the audio source close its file when the video fails or the caller stops early.
      await job?.closeAudio();
    }
  }
  const generator = packets();
  async function writeTo(target: TsTarget): Promise<EsMuxResult> {
    if (started) throw new Error('`writeTo` was called after `packets` was read: use one or the other');
    pool = new OutputBufferPool({ slabSize: POOL_SLAB_SIZE, count: POOL_SLABS });
    try {
      for await (const run of generator) {
        pool.track(run, target.write(run));
        if (pool.error !== undefined) throw pool.error;
      }
      await pool.drain();
    } catch (error) {
      reject(error);
      // Let writes already under way settle before the caller closes the target.
      await pool.drain().catch(() => {});
      throw error;
    }
    return result;
  }
  return { packets: generator, result, writeTo };
}

function checkOptions(segments: unknown, options: MuxSegmentsOptions): void {
  if (!isIterable(segments)) throw invalidOption('segments', 'an (async) iterable of segments', segments);
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  if (options.codec !== undefined) expectCodec(options.codec);
  expectFrameRate(options.frameRate);
  expectNumber('origin', options.origin);
  if (options.basePts !== undefined) expectTicks('basePts', options.basePts);
  if (options.keep !== undefined) {
    const { start, end } = options.keep;
    expectNumber('keep.start', start);
    expectNumber('keep.end', end, start);
  }
  if (options.audio !== undefined && !isIterable(options.audio)) {
    throw invalidOption('audio', 'an (async) iterable of AAC frames', options.audio);
  }
  if (options.strict !== undefined && typeof options.strict !== 'boolean') {
    throw invalidOption('strict', 'a boolean', options.strict);
  }
}

/** writeTo's output memory: 4 buffers of 1 MiB, reused as the target consumes them. */
const POOL_SLAB_SIZE = 1 << 20;
const POOL_SLABS = 4;

class SegmentMuxJob {
  readonly #options: MuxSegmentsOptions;
  readonly #codec: Codec;
  readonly #basePts: number;
  readonly #writer: TsWriter;
  readonly #warnings = new WarningLog<EsWarningCode>();
  readonly #timeline: SegmentTimeline<EsSegmentSummary>;
  readonly #damages: DamageLedger;
  readonly #segments: EsSegmentSummary[] = [];
  /** Segments read, and those of them skipped whole (empty or undecodable). */
  #segmentsRead = 0;
  #segmentsSkipped = 0;
  /** The first skipped segment's error, thrown when every segment was skipped. */
  #firstSkipError: EsParseError | undefined;
  #frames = 0;
  /** Pictures written whose PTS is inside `keep` (in PTS), all without it. */
  #presentedFrames = 0;
  readonly #keep: { start: number; end: number } | undefined;
  #keyframes = 0;
  #droppedLeading = 0;
  #firstPts = Number.POSITIVE_INFINITY;
  #lastPts = Number.NEGATIVE_INFINITY;
  #frameDuration = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  /** Parameter sets of access units the timeline dropped, for the next one written. */
  readonly #parameterSets: ParameterSetCarry;
  readonly #steps: TimelineStep<EsSegmentSummary>[] = [];
  readonly #runs = new ByteRuns();
  readonly #pool: OutputBufferPool | undefined;
  readonly #audio: AsyncIterator<AudioFrame> | Iterator<AudioFrame> | undefined;
  /** The next audio frame, read but not yet written (its PTS is after the last video DTS). */
  #audioNext: AudioFrame | undefined;
  #audioEnded = false;
  #audioFrames = 0;

  constructor(options: MuxSegmentsOptions, pool?: OutputBufferPool) {
    this.#options = options;
    this.#codec = options.codec ?? Codec.H264;
    this.#basePts = Math.round(options.basePts ?? DEFAULT_START_PTS);
    this.#pool = pool;
    this.#parameterSets = new ParameterSetCarry(this.#codec);
    this.#writer = new TsWriter({
      codec: this.#codec,
      audio: options.audio !== undefined,
      allocate: pool ? (bytes: number) => pool.take(bytes) : undefined,
    });
    const audio = options.audio;
    this.#audio =
      audio === undefined
        ? undefined
        : Symbol.asyncIterator in audio
          ? audio[Symbol.asyncIterator]()
          : audio[Symbol.iterator]();
    const keep = options.keep && {
      start: this.#toPts(options.keep.start),
      end: this.#toPts(options.keep.end),
    };
    this.#keep = keep;
    // The parser reuses its memory at the next push: what the timeline holds longer is copied.
    this.#timeline = new SegmentTimeline({ keep, retain: retainAccessUnit });
    this.#damages = new DamageLedger({
      keep,
      toSeconds: (pts) => this.#options.origin + (pts - this.#basePts) / TS_CLOCK,
      warnings: this.#warnings,
    });
  }

  #toPts(seconds: number): number {
    return this.#basePts + Math.round((seconds - this.#options.origin) * TS_CLOCK);
  }

  async *run(segments: AsyncIterable<EsSegment> | Iterable<EsSegment>): AsyncGenerator<Uint8Array> {
    const { signal } = this.#options;
    const timeline = this.#timeline;
    let index = 0;
    for await (const segment of segments) {
      signal?.throwIfAborted();
      if (timeline.done) break;
      expectNumber(`segments[${index++}].startTime`, segment.startTime);
      const startPts = this.#toPts(segment.startTime);
      this.#damages.settle(startPts);
      const summary: EsSegmentSummary = {
        name: segment.name,
        frames: 0,
        firstPts: undefined,
        endPts: undefined,
        bytes: 0,
      };
      if (!timeline.beginSegment(segment.name, startPts, summary)) break;
      const parser = new EsParser({
        codec: this.#codec,
        startPts,
        source: segment.name,
        warnings: this.#warnings,
        // Access units are written before the next chunk is pushed; those the timeline holds longer are copied.
        reuseMemory: true,
        frameRate: this.#options.frameRate,
        damage: this.#options.strict ? 'throw' : 'cut',
        damagedFrom: segment.damagedFrom,
      });
      this.#segments.push(summary);
      this.#segmentsRead++;
      const coveredUntil = timeline.coveredUntil;
      const aus: AccessUnit[] = [];
      for await (const chunk of chunksOf(segment.source)) {
        signal?.throwIfAborted();
        aus.length = 0;
        parser.push(chunk, aus);
        summary.bytes += chunk.length;
        this.#bytesIn += chunk.length;
        yield* this.#write(aus);
        this.#options.onProgress?.(makeProgress(this.#bytesIn, undefined, ProgressUnit.Bytes));
        // After a damage the parser uses nothing more: the rest of the segment is not read.
        if (timeline.done || parser.stopped) break;
      }
      if (summary.bytes === 0)
        this.#damage(segment.name, startPts, coveredUntil, undefined, parser.frameDuration);
      else if (!timeline.done) {
        aus.length = 0;
        parser.end(aus);
        yield* this.#write(aus);
      }
      if (parser.damage)
        this.#damage(segment.name, startPts, coveredUntil, parser.damage, parser.frameDuration);
      if (this.#frameDuration === 0) this.#frameDuration = parser.frameDuration;
      if (parser.damage?.reason !== EsDamageReason.Undecodable) {
        this.#droppedLeading += parser.droppedLeading + parser.droppedUndecodable;
      }
      const overlap = timeline.overlap;
      if (overlap) {
        this.#warnings.add(
          EsWarningCode.SegmentOverlap,
          `${overlap.next} starts ${overlap.seconds.toFixed(3)} s before ${overlap.previous} ends; ${overlap.droppedFrames} of its pictures were dropped`,
          { source: segment.name },
        );
      }
    }
    this.#damages.settle(undefined);
    if (this.#frames === 0 && this.#segmentsRead > 0 && this.#segmentsSkipped === this.#segmentsRead) {
      throw this.#nothingDecodable();
    }
    // End of input: a GOP still held for keep.start is the one that contains it.
    yield* this.#write(undefined);
    yield* this.#writeAudio(Number.POSITIVE_INFINITY);
    yield* this.#runs.take();
  }

  result(): EsMuxResult {
    const frames = this.#frames;
    const firstPts = frames > 0 ? this.#firstPts : this.#basePts;
    const lastPts = frames > 0 ? this.#lastPts : this.#basePts;
    if (this.#timeline.dtsAdjusted > 0) {
      this.#warnings.add(
        EsWarningCode.ReorderDepthExceeded,
        'a segment reorders more frames than the one before it; some DTS were moved up to stay increasing',
        { count: this.#timeline.dtsAdjusted },
      );
    }
    return {
      frames,
      presentedFrames: this.#presentedFrames,
      audioFrames: this.#audioFrames,
      keyframes: this.#keyframes,
      droppedLeadingFrames: this.#droppedLeading,
      firstPts,
      lastPts,
      frameDuration: this.#frameDuration,
      durationSeconds: frames > 0 ? (lastPts + this.#frameDuration - firstPts) / TS_CLOCK : 0,
      presentationStart: this.#options.origin + (firstPts - this.#basePts) / TS_CLOCK,
      origin: this.#options.origin,
      basePts: this.#basePts,
      warnings: this.#warnings.list(),
      damaged: this.#damages.list,
      overlaps: this.#timeline.overlaps,
      segments: this.#segments,
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
    };
  }

  /**
   * A damaged segment (`damage` undefined: an empty one): skipped or cut.
   * Strict runs fail here; otherwise the ledger keeps it until the next
   * segment's start bounds the time it cost.
   */
  #damage(
    name: string,
    startPts: number,
    coveredUntil: number,
    damage: ParserDamage | undefined,
    frameDuration: number,
  ): void {
    const error =
      damage?.error ??
      new EsParseError(EsParseErrorCode.Truncated, 'the segment is empty (0 bytes)', {
        offset: 0,
        source: name,
      });
    if (this.#options.strict) throw error;
    const reason = damage?.reason ?? EsDamageReason.Empty;
    if (reason === EsDamageReason.Empty || reason === EsDamageReason.Undecodable) {
      this.#segmentsSkipped++;
      this.#firstSkipError ??= error;
    }
    this.#damages.record({
      source: name,
      reason,
      offset: damage?.offset ?? 0,
      foundAt: error.offset,
      pictures: damage?.pictures ?? 0,
      detail: damage ? withoutPlace(damage.error) : 'the segment is empty (0 bytes)',
      startPts,
      coveredUntil,
      segmentEnd: this.#timeline.segmentEnd,
      frameDuration: frameDuration || this.#frameDuration,
    });
  }

  /** Every segment read was skipped: the first one's error, or one that says how many there were. */
  #nothingDecodable(): EsParseError {
    const first = this.#firstSkipError!;
    if (this.#segmentsRead === 1) return first;
    return new EsParseError(
      first.code,
      `none of the ${this.#segmentsRead} segments has a decodable picture; this one: ${withoutPlace(first)}`,
      { offset: first.offset, source: first.source, cause: first },
    );
  }

  /**
   * Puts the access units on the timeline (undefined: the input ended) and
   * writes what it lets through, in order; the parameter sets of what it
   * drops go ahead of the next one written. With an output pool, hands over
   * what is written and waits for a buffer to come back whenever all of them
   * are in use.
   */
  async *#write(aus: readonly AccessUnit[] | undefined): AsyncGenerator<Uint8Array> {
    const pool = this.#pool;
    const steps = this.#steps;
    steps.length = 0;
    if (aus) this.#timeline.push(aus, steps);
    else this.#timeline.finish(steps);
    for (const step of steps) {
      const { au } = step;
      if (!step.write) {
        this.#parameterSets.keep(au.nals);
        continue;
      }
      if (this.#audio && !this.#audioEnded) yield* this.#writeAudio(au.dts);
      yield* this.#bufferFree();
      au.nals = this.#parameterSets.prepend(au.nals);
      const bytes = this.#writer.writeVideo(au);
      pool?.produced(bytes);
      this.#bytesOut += bytes.length;
      this.#frames++;
      if (!this.#keep || (au.pts >= this.#keep.start && au.pts < this.#keep.end)) this.#presentedFrames++;
      if (au.keyframe) this.#keyframes++;
      if (au.pts < this.#firstPts) this.#firstPts = au.pts;
      if (au.pts > this.#lastPts) this.#lastPts = au.pts;
      const segment = step.tag;
      segment.frames++;
      if (segment.firstPts === undefined || au.pts < segment.firstPts) segment.firstPts = au.pts;
      const end = au.pts + au.duration;
      if (segment.endPts === undefined || end > segment.endPts) segment.endPts = end;
      this.#runs.add(bytes);
    }
    steps.length = 0;
    yield* this.#runs.take();
  }

  /**
   * With an output pool, hands over what is written and waits for a buffer to
   * come back when all of them are in use.
   */
  async *#bufferFree(): AsyncGenerator<Uint8Array> {
    const pool = this.#pool;
    if (pool && !pool.hasFree()) {
      yield* this.#runs.take();
      await pool.free();
    }
  }

  async closeAudio(): Promise<void> {
    if (!this.#audioEnded) await this.#audio?.return?.();
  }

  /** Writes the audio frames presented at or before `time` (90 kHz), and keeps the first later one. */
  async *#writeAudio(time: number): AsyncGenerator<Uint8Array> {
    const audio = this.#audio;
    if (!audio) return;
    const pool = this.#pool;
    while (!this.#audioEnded) {
      if (this.#audioNext === undefined) {
        const next = await audio.next();
        if (next.done) {
          this.#audioEnded = true;
          break;
        }
        this.#audioNext = next.value;
      }
      const frame = this.#audioNext;
      if (frame.pts > time) break;
      yield* this.#bufferFree();
      const bytes = this.#writer.writeAudio(frame);
      this.#audioNext = undefined;
      pool?.produced(bytes);
      this.#bytesOut += bytes.length;
      this.#audioFrames++;
      this.#runs.add(bytes);
    }
  }
}

/** An EsParseError's message without the place it starts with (`<source> at byte N (0x..): `). */
function withoutPlace(error: EsParseError): string {
  return error.message.replace(/^.*? at byte \d+ \(0x[0-9a-f]+\): /s, '');
}

/**
 * An access unit the timeline holds past the next chunk: its bytes are copied
 * out of the parser's reused buffers and the caller's chunk.
 */
function retainAccessUnit(au: AccessUnit): AccessUnit {
  let total = 0;
  for (const nal of au.nals) total += nal.bytes.length;
  const copy = new Uint8Array(total);
  let at = 0;
  const nals = au.nals.map((nal) => {
    copy.set(nal.bytes, at);
    at += nal.bytes.length;
    return { type: nal.type, bytes: copy.subarray(at - nal.bytes.length, at) };
  });
  return { ...au, nals };
}

/** A segment's bytes as chunks: a Uint8Array is cut into 1 MiB views. */
function chunksOf(source: EsSegment['source']): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (typeof source === 'function') return source();
  return (function* () {
    for (let at = 0; at < source.length; at += CHUNK) yield source.subarray(at, at + CHUNK);
  })();
}
