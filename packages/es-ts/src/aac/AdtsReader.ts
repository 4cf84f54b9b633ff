import { type RecWarning, WarningLog } from '@rec/core';
import { TS_CLOCK } from '../clock.js';
import { EsWarningCode } from '../EsWarningCode.js';
import type { AudioFrame } from '../types.js';
import { type AdtsHeader, readAdtsHeader } from './adtsHeader.js';

/** One ADTS frame with where it was and what its header says. */
export interface AdtsFrame extends AudioFrame {
  /** Byte offset of the frame in the input. */
  offset: number;
  header: AdtsHeader;
  /** Index of the first sample of this frame, counted from the start of the input. */
  sampleIndex: number;
}

export interface AdtsSummary {
  frames: number;
  /** Samples per channel (1024 per raw data block). */
  samples: number;
  /** Of the first frame. */
  sampleRate: number | undefined;
  channelConfiguration: number | undefined;
  /** Bytes that were not part of any frame (garbage, truncated tail). */
  skippedBytes: number;
  /** PTS just after the last frame, 90 kHz. */
  endPts: number;
  warnings: RecWarning<EsWarningCode>[];
}

export interface AdtsReaderOptions {
  /** PTS of the first frame, 90 kHz (default 0). */
  startPts?: number;
  /** File or key, set as the warnings' `source`. */
  source?: string | undefined;
}

/**
 * Incremental ADTS scanner (ISO/IEC 13818-7 6.2, ISO/IEC 14496-3 1.A.2.2):
 * `push` chunks, get the frames completed so far, `finish` at the end.
 *
 * A frame found after garbage (or first), or one whose header differs from
 * the previous frame's, is only taken when the next header follows it with
 * the same sampling frequency and channel configuration, or the input ends
 * there. PTS = startPts + samples * 90000 / sampleRate,
 * computed from the running sample count (no accumulated rounding).
 * Frames are views of the pushed chunks when they lie inside one.
 */
export class AdtsReader {
  #pending: Uint8Array = new Uint8Array(0);
  /** Input offset of `#pending[0]`. */
  #pendingOffset = 0;
  #locked = false;
  #lastHeader: AdtsHeader | undefined;
  #inGarbage = false;
  #frames = 0;
  /** Samples since the last sample-rate change, and the PTS there. */
  #segmentSamples = 0;
  #segmentPts: number;
  #segmentRate: number | undefined;
  #samples = 0;
  #sampleRate: number | undefined;
  #channels: number | undefined;
  #skipped = 0;
  readonly #warnings = new WarningLog<EsWarningCode>();
  readonly #source: string | undefined;

  constructor(options: AdtsReaderOptions = {}) {
    this.#segmentPts = Math.round(options.startPts ?? 0);
    this.#source = options.source;
  }

  push(chunk: Uint8Array): AdtsFrame[] {
    if (this.#pending.length === 0) this.#pending = chunk;
    else {
      const joined = new Uint8Array(this.#pending.length + chunk.length);
      joined.set(this.#pending);
      joined.set(chunk, this.#pending.length);
      this.#pending = joined;
    }
    return this.#scan(false);
  }

  /** Frames left at the end of the input; the incomplete tail counts as skipped. */
  finish(): AdtsFrame[] {
    const frames = this.#scan(true);
    if (this.#pending.length > 0) {
      this.#warn(
        EsWarningCode.AdtsTruncated,
        `the input ends inside a frame (${this.#pending.length} bytes dropped)`,
      );
      this.#skipped += this.#pending.length;
      this.#pendingOffset += this.#pending.length;
      this.#pending = new Uint8Array(0);
    }
    return frames;
  }

  get summary(): AdtsSummary {
    return {
      frames: this.#frames,
      samples: this.#samples,
      sampleRate: this.#sampleRate,
      channelConfiguration: this.#channels,
      skippedBytes: this.#skipped,
      endPts: this.#pts(),
      warnings: this.#warnings.list(),
    };
  }

  #pts(): number {
    const rate = this.#segmentRate;
    return rate === undefined
      ? this.#segmentPts
      : this.#segmentPts + Math.round((this.#segmentSamples * TS_CLOCK) / rate);
  }

  #warn(code: EsWarningCode, message: string): void {
    this.#warnings.add(code, message, { source: this.#source });
  }

  #scan(final: boolean): AdtsFrame[] {
    const d = this.#pending;
    const n = d.length;
    const frames: AdtsFrame[] = [];
    let i = 0;
    while (n - i >= 7) {
      const header = readAdtsHeader(d, i);
      let valid = header !== undefined;
      if (header && i + header.frameLength > n) {
        if (!final) break; // need more data
        valid = false;
      }
      // Inside a run of frames, a header like the previous one is trusted; anything else must be confirmed.
      const last = this.#lastHeader;
      const consistent =
        this.#locked &&
        last !== undefined &&
        header !== undefined &&
        header.samplingFrequencyIndex === last.samplingFrequencyIndex &&
        header.channelConfiguration === last.channelConfiguration &&
        header.audioObjectType === last.audioObjectType;
      if (header && valid && !consistent) {
        // Confirm with the next header: an 0xFFF in garbage must not start a frame.
        const next = i + header.frameLength;
        if (n - next >= 7) {
          const h2 = readAdtsHeader(d, next);
          valid =
            h2 !== undefined &&
            h2.samplingFrequencyIndex === header.samplingFrequencyIndex &&
            h2.channelConfiguration === header.channelConfiguration;
        } else if (!final) {
          break; // wait for the next header
        }
      }
      if (!header || !valid) {
        if (!this.#inGarbage) {
          this.#inGarbage = true;
          this.#warn(EsWarningCode.AdtsGarbage, 'bytes that are not ADTS frames were skipped');
        }
        this.#locked = false;
        this.#skipped++;
        i++;
        continue;
      }
      this.#inGarbage = false;
      this.#locked = true;
      this.#lastHeader = header;
      frames.push(this.#frame(d, i, header));
      i += header.frameLength;
    }
    this.#pending = i === 0 ? d : d.subarray(i);
    this.#pendingOffset += i;
    if (this.#pending.length > 0 && this.#pending.buffer === d.buffer && !final) {
      // Keep a copy of the tail so the caller may reuse its chunk.
      this.#pending = this.#pending.slice();
    }
    return frames;
  }

  #frame(d: Uint8Array, i: number, header: AdtsHeader): AdtsFrame {
    if (this.#segmentRate !== header.sampleRate) {
      if (this.#segmentRate !== undefined)
        this.#warn(EsWarningCode.AdtsRateChange, 'the sampling frequency changes');
      this.#segmentPts = this.#pts();
      this.#segmentSamples = 0;
      this.#segmentRate = header.sampleRate;
    }
    this.#sampleRate ??= header.sampleRate;
    this.#channels ??= header.channelConfiguration;
    const frame: AdtsFrame = {
      bytes: d.subarray(i, i + header.frameLength),
      pts: this.#pts(),
      offset: this.#pendingOffset + i,
      header,
      sampleIndex: this.#samples,
    };
    this.#frames++;
    this.#samples += header.samples;
    this.#segmentSamples += header.samples;
    return frame;
  }
}
