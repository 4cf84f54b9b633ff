import type { WarningLog } from '@rec/core';
import { AnnexBScanner, type NalPosition } from './bitstream/AnnexBScanner.js';
import type { CodedPicture, PictureAssembler, Truncation } from './bitstream/CodedPicture.js';
import { H264PictureAssembler } from './bitstream/h264/H264PictureAssembler.js';
import { HevcPictureAssembler } from './bitstream/hevc/HevcPictureAssembler.js';
import { ParameterSetCarry } from './bitstream/ParameterSetCarry.js';
import { TS_CLOCK } from './clock.js';
import { EsDamageReason } from './EsDamage.js';
import { EsParseError, EsParseErrorCode } from './EsParseError.js';
import { EsWarningCode } from './EsWarningCode.js';
import { expectCodec, expectFrameRate } from './expectOption.js';
import { PresentationTimer, type TimedItem } from './timing/PresentationTimer.js';
import { type AccessUnit, Codec } from './types.js';

export interface EsParserOptions {
  codec: Codec;
  /** Frames per second, used only when the stream has no VUI/VPS timing. */
  frameRate?: number;
  /** PTS (90 kHz) of the first presented picture. */
  startPts: number;
  source?: string;
  warnings: WarningLog<EsWarningCode>;
  /**
   * Reuse the parser's own buffers: the access units `push` returns are valid
   * only until the next `push` (the caller writes them before pushing more).
   * Default false: their bytes stay valid for good, as long as the caller
   * does not reuse the memory of the chunks they came from.
   */
  reuseMemory?: boolean;
  /**
   * What damaged input does (default `warn`):
   * - `warn`: bytes that cannot be parsed throw; an input that ends inside a
   *   picture or parameter set drops it with an `ES_TRUNCATED_*` warning; no
   *   decodable picture throws (parseAccessUnits).
   * - `cut`: nothing is thrown for the media: the parser stops at the first
   *   damage, hands out every picture complete before it, and says what in
   *   {@link EsParser.damage} (the muxers, which warn and list it).
   * - `throw`: any of them is an EsParseError (`ES_TRUNCATED` for an input
   *   that ends inside something) (the muxers' `strict`).
   */
  damage?: ParserDamageMode;
  /**
   * The input is known to be damaged from this offset on (a decoder found
   * the picture there incomplete: see `findLastPicture`): the bytes from it
   * are not used, and the input counts as ending inside that picture
   * (`truncated`, 1 picture; the `damage` mode applies, with `what` as the
   * message). `offset` is where the picture's first NAL starts.
   */
  damagedFrom?: DamagedFrom;
}

/** Where an input's damage starts, found outside the parser (by a decoder). */
export interface DamagedFrom {
  offset: number;
  /** What was found, for messages: `its last picture cannot be decoded whole (...)`. */
  what: string;
}

export type ParserDamageMode = 'warn' | 'cut' | 'throw';

/** Why, and from where, the parser's input was not used to its end (`damage: 'cut'`). */
export interface ParserDamage {
  reason: Exclude<EsDamageReason, 'empty'>;
  /** Input offset of the first byte not used. */
  offset: number;
  /** Pictures seen and left out because of it (the incomplete one; for `undecodable`, all seen). */
  pictures: number;
  /** The error a strict run throws for it (its message names the source and offset). */
  error: EsParseError;
}

const DEFAULT_FRAME_RATE = 25;

/**
 * The synchronous core of the pipeline: chunks of an Annex-B stream in,
 * timed access units out in decoding order. Stages: Annex-B scan ->
 * access units + POC (per codec) -> start gate (drops pictures before the
 * first random access point; their parameter sets go ahead of the next
 * picture kept) -> presentation timer.
 */
export class EsParser {
  readonly codec: Codec;
  readonly #scanner: AnnexBScanner;
  readonly #assembler: PictureAssembler;
  readonly #options: EsParserOptions;
  readonly #warnings: WarningLog<EsWarningCode>;
  #timer: PresentationTimer<CodedPicture> | undefined;
  #frameDuration = 0;
  #timingFrom: string | undefined;
  readonly #nals: NalPosition[] = [];
  readonly #pictures: CodedPicture[] = [];
  readonly #timed: TimedItem<CodedPicture>[] = [];
  readonly #reuse: boolean;
  /** With `reuseMemory`: where held pictures were copied last push, and the other buffer. */
  #arena: Uint8Array = new Uint8Array(0);
  #spareArena: Uint8Array = new Uint8Array(0);
  /** Parameter sets of dropped pictures, for the next picture timed. */
  readonly #parameterSets: ParameterSetCarry;
  /** Decoding has started (a random access point was seen). */
  #started = false;
  /** After starting at a non-IDR recovery point: drop pictures presented before it, until the next IDR. */
  #leadingPocLimit: number | undefined;
  readonly #mode: ParserDamageMode;
  /** Set at the first damage in `cut` mode. */
  #damage: ParserDamage | undefined;
  /** The input ended, or was cut: push and end do nothing more. */
  #stopped = false;
  /** Input bytes pushed so far, up to `damagedFrom.offset`. */
  #pushed = 0;
  /** `damagedFrom.offset` was reached: later bytes are not used; `end` reports the damage. */
  #atDamage = false;
  droppedLeading = 0;
  droppedUndecodable = 0;
  pictures = 0;

  constructor(options: EsParserOptions) {
    this.codec = expectCodec(options.codec);
    expectFrameRate(options.frameRate);
    this.#options = options;
    this.#warnings = options.warnings;
    const { source } = options;
    this.#reuse = options.reuseMemory ?? false;
    this.#scanner = new AnnexBScanner({ reuseMemory: this.#reuse, source });
    this.#mode = options.damage ?? 'warn';
    const warn = (code: EsWarningCode, message: string) => this.#warn(code, message);
    const truncated = (truncation: Truncation) => this.#onTruncated(truncation);
    this.#parameterSets = new ParameterSetCarry(this.codec);
    this.#assembler =
      options.codec === Codec.H264
        ? new H264PictureAssembler({ warn, truncated, source })
        : new HevcPictureAssembler({ warn, truncated, source });
  }

  /**
   * With `damage: 'cut'`: what stopped the parser or cut the end of its
   * input, once it happened (undefined for an input used to its end).
   */
  get damage(): ParserDamage | undefined {
    return this.#damage;
  }

  /** No more input is used: it ended, or (`damage: 'cut'`) it was cut at a damage, or `damagedFrom` was reached. */
  get stopped(): boolean {
    return this.#stopped || this.#atDamage;
  }

  /** Frame duration in 90 kHz ticks (rounded), known once the first picture was timed. */
  get frameDuration(): number {
    return Math.round(this.#frameDuration);
  }

  get reorderDepth(): number {
    return this.#timer?.reorderDepth ?? 0;
  }

  get bytesIn(): number {
    return this.#scanner.bytesIn;
  }

  /**
   * Access units that `chunk` completes, in decoding order. Their NAL units
   * are views of `chunk` or of the parser's copies. The parser keeps no
   * reference to `chunk` once this returns (what it holds for later is
   * copied), so the caller may reuse its memory after using the access units.
   */
  push(chunk: Uint8Array, out: AccessUnit[] = []): AccessUnit[] {
    if (this.#stopped || this.#atDamage) return out;
    const damagedFrom = this.#options.damagedFrom;
    if (damagedFrom !== undefined && this.#pushed + chunk.length >= damagedFrom.offset) {
      chunk = chunk.subarray(0, Math.max(0, damagedFrom.offset - this.#pushed));
      this.#atDamage = true;
    }
    this.#pushed += chunk.length;
    const nals = this.#nals;
    nals.length = 0;
    let failure: unknown;
    try {
      this.#scanner.push(chunk, nals);
    } catch (error) {
      failure = error;
    }
    try {
      // The NAL units completed before a scanner failure are whole: they go on.
      this.#feed(nals, false);
    } catch (error) {
      failure = error; // earlier in the input than a scanner failure
    }
    if (failure !== undefined) {
      this.#cut(failure, out);
      return out;
    }
    this.#time(out, false);
    this.#detach(chunk.buffer);
    return out;
  }

  /**
   * Copies the bytes of the pictures held for the next push (the one being
   * assembled, those waiting for their presentation slot) that live in the
   * chunk or in reused buffers into one buffer of the parser's. Typically a
   * few frames per chunk.
   */
  #detach(chunk: ArrayBufferLike): void {
    const lists = this.#assembler.held();
    if (this.#timer) for (const picture of this.#timer.held()) lists.push(picture.nals);
    const scanner = this.#scanner;
    const previous = this.#reuse ? this.#arena.buffer : undefined;
    const borrowed = (bytes: Uint8Array): boolean =>
      bytes.buffer === chunk || bytes.buffer === previous || scanner.owns(bytes.buffer);
    let total = 0;
    for (const nals of lists) for (const nal of nals) if (borrowed(nal.bytes)) total += nal.bytes.length;
    if (total === 0) return;
    let arena: Uint8Array;
    if (this.#reuse) {
      // Double-buffered: what was copied last time may still be read by the caller until this push returns.
      arena =
        this.#spareArena.length >= total
          ? this.#spareArena
          : new Uint8Array(Math.max(total, 2 * this.#spareArena.length));
      this.#spareArena = this.#arena;
      this.#arena = arena;
    } else arena = new Uint8Array(total);
    let at = 0;
    for (const nals of lists) {
      for (const nal of nals) {
        const bytes = nal.bytes;
        if (!borrowed(bytes)) continue;
        arena.set(bytes, at);
        nal.bytes = arena.subarray(at, at + bytes.length);
        at += bytes.length;
      }
    }
  }

  /**
   * The input ended: everything still held. Throws when the input held no
   * decodable picture (with `damage: 'cut'`: says so in `damage` instead).
   */
  end(out: AccessUnit[] = []): AccessUnit[] {
    if (this.#stopped) return out;
    const nals = this.#nals;
    nals.length = 0;
    try {
      this.#scanner.flush(nals);
      this.#feed(nals, true);
      this.#assembler.end(this.#pictures);
      const damagedFrom = this.#options.damagedFrom;
      if (damagedFrom !== undefined && this.#pushed >= damagedFrom.offset) {
        this.#onTruncated({ offset: damagedFrom.offset, what: damagedFrom.what, pictures: 1 });
      }
    } catch (error) {
      this.#cut(error, out);
      return out;
    }
    this.#stopped = true;
    this.#time(out, true);
    this.#summarize();
    return out;
  }

  /**
   * A parse error in `cut` mode (else it is rethrown): the pictures complete
   * before it, and those waiting for their presentation slot, go out; the
   * rest of the input is not used.
   */
  #cut(error: unknown, out: AccessUnit[]): void {
    if (this.#mode !== 'cut' || !(error instanceof EsParseError)) throw error;
    this.#stopped = true;
    this.#time(out, true);
    this.#damage = {
      reason: EsDamageReason.Invalid,
      offset: error.offset,
      pictures: 0,
      error,
    };
    this.#summarize();
  }

  /** The input ended inside something (the assembler dropped it): warn, record or throw. */
  #onTruncated({ offset, what, pictures }: Truncation): void {
    if (this.#mode === 'warn') {
      if (pictures === 0) this.#warn(EsWarningCode.TruncatedNal, `${what}; it was dropped`);
      else this.#warn(EsWarningCode.TruncatedAccessUnit, `${what}; that access unit was dropped`);
      return;
    }
    const error = new EsParseError(EsParseErrorCode.Truncated, what, {
      offset,
      source: this.#options.source,
    });
    if (this.#mode === 'throw') throw error;
    this.#damage ??= { reason: EsDamageReason.Truncated, offset, pictures, error };
  }

  /** End-of-input warnings, and the verdict on an input without a decodable picture. */
  #summarize(): void {
    if (this.pictures === 0) {
      const error =
        this.#damage?.error ??
        new EsParseError(
          EsParseErrorCode.InvalidStream,
          this.droppedLeading > 0
            ? `no keyframe in ${this.droppedLeading === 1 ? '1 picture' : `${this.droppedLeading} pictures`}: nothing can be decoded`
            : 'no coded picture in the input',
          { offset: 0, source: this.#options.source },
        );
      if (this.#mode !== 'cut') throw error;
      this.#damage = {
        reason: EsDamageReason.Undecodable,
        offset: 0,
        pictures: this.droppedLeading + this.droppedUndecodable + (this.#damage?.pictures ?? 0),
        error,
      };
      return;
    }
    if (this.#scanner.leadingBytes > 0) {
      this.#warn(
        EsWarningCode.LeadingGarbage,
        `${this.#scanner.leadingBytes} bytes before the first start code were skipped`,
      );
    }
    if (this.droppedLeading > 0) {
      this.#warn(
        EsWarningCode.LeadingFramesDropped,
        'the stream does not start at a keyframe (IDR, IRAP or recovery point): pictures before the first one were dropped',
        this.droppedLeading,
      );
    }
    if (this.droppedUndecodable > 0) {
      this.#warn(
        EsWarningCode.UndecodableLeadingDropped,
        'leading pictures that reference pictures before the first keyframe (open GOP) were dropped',
        this.droppedUndecodable,
      );
    }
  }

  /** One occurrence (or `count`) of a warning; the message starts with the segment name. */
  #warn(code: EsWarningCode, message: string, count = 1): void {
    const { source } = this.#options;
    this.#warnings.add(code, source ? `${source}: ${message}` : message, { count, source });
  }

  #feed(nals: NalPosition[], ended: boolean): void {
    const assembler = this.#assembler;
    const pictures = this.#pictures;
    for (let i = 0; i < nals.length; i++) {
      const p = nals[i]!;
      const bytes =
        p.offset === 0 && p.length === p.data.length
          ? p.data
          : p.data.subarray(p.offset, p.offset + p.length);
      assembler.push(bytes, p.position, ended && i === nals.length - 1, pictures);
    }
  }

  /** Start gate and timer. */
  #time(out: AccessUnit[], ended: boolean): void {
    const pictures = this.#pictures;
    const timed = this.#timed;
    timed.length = 0;
    for (const picture of pictures) {
      if (!this.#started) {
        if (!picture.randomAccess || !picture.parsed) {
          this.droppedLeading++;
          this.#parameterSets.keep(picture.nals);
          continue;
        }
        this.#started = true;
        if (!picture.flushBefore) this.#leadingPocLimit = picture.poc;
        this.#startTimer(picture);
      }
      if (picture.flushBefore) this.#leadingPocLimit = undefined;
      if (
        picture.undecodable ||
        (this.#leadingPocLimit !== undefined && picture.poc < this.#leadingPocLimit) ||
        !picture.parsed
      ) {
        this.droppedUndecodable++;
        this.#parameterSets.keep(picture.nals);
        continue;
      }
      picture.nals = this.#parameterSets.prepend(picture.nals);
      this.#checkTiming(picture);
      this.#timer!.push(
        { poc: picture.poc, flushBefore: picture.flushBefore, reorder: picture.reorder, item: picture },
        timed,
      );
    }
    pictures.length = 0;
    if (ended && this.#timer) this.#timer.flush(timed);
    const duration = Math.round(this.#frameDuration);
    for (const t of timed) {
      const picture = t.item;
      this.pictures++;
      out.push({
        codec: this.codec,
        nals: picture.nals,
        keyframe: picture.randomAccess,
        pts: t.pts,
        dts: t.dts,
        duration,
        byteOffset: picture.byteOffset,
      });
    }
    if (ended && this.#timer && this.#timer.clamped > 0) {
      this.#warn(
        EsWarningCode.ReorderDepthExceeded,
        'a later SPS allows more frame reordering than the first; some DTS were lowered below the PTS of the frames decoded after them',
        this.#timer.clamped,
      );
    }
  }

  #startTimer(picture: CodedPicture): void {
    const { frameRate } = this.#options;
    if (picture.timing && !(picture.timing.frameDuration >= 90 && picture.timing.frameDuration <= 900_000)) {
      this.#warn(
        EsWarningCode.ImplausibleTiming,
        `the ${picture.timing.from} says ${fps(picture.timing.frameDuration)} fps; ignored`,
      );
      picture.timing = undefined;
    }
    if (picture.timing) {
      this.#frameDuration = picture.timing.frameDuration;
      this.#timingFrom = picture.timing.from;
      if (frameRate !== undefined && Math.abs(TS_CLOCK / frameRate - picture.timing.frameDuration) > 0.5) {
        this.#warn(
          EsWarningCode.FrameRateOptionIgnored,
          `\`frameRate\` ${frameRate} differs from the stream's ${picture.timing.from} (${fps(picture.timing.frameDuration)} fps), which is used`,
        );
      }
    } else if (frameRate !== undefined) {
      this.#frameDuration = TS_CLOCK / frameRate;
      this.#warn(
        EsWarningCode.FrameRateFromOption,
        `the stream has no VUI timing; using the \`frameRate\` option (${frameRate} fps)`,
      );
    } else {
      this.#frameDuration = TS_CLOCK / DEFAULT_FRAME_RATE;
      this.#warn(
        EsWarningCode.DefaultFrameRate,
        `the stream has no VUI timing and no \`frameRate\` option was given; assuming ${DEFAULT_FRAME_RATE} fps`,
      );
    }
    this.#timer = new PresentationTimer({
      startPts: Math.round(this.#options.startPts),
      frameDuration: this.#frameDuration,
    });
  }

  #checkTiming(picture: CodedPicture): void {
    const t = picture.timing;
    if (t && this.#timingFrom !== undefined && Math.abs(t.frameDuration - this.#frameDuration) > 1e-6) {
      this.#warn(
        EsWarningCode.FrameRateChanged,
        `the ${t.from} frame rate changed from ${fps(this.#frameDuration)} to ${fps(t.frameDuration)} fps; the first is kept`,
      );
    }
  }
}

const fps = (duration: number): string => String(Math.round((TS_CLOCK / duration) * 1000) / 1000);
