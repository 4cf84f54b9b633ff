import type { EsWarningCode } from '../EsWarningCode.js';
import type { NalUnit } from '../types.js';

/** Exact stream timing as the parameter sets state it. */
export interface StreamTiming {
  /** Frame (picture) duration in 90 kHz ticks, possibly fractional (29.97 fps: 3003). */
  frameDuration: number;
  /** Where it came from, for messages: `SPS VUI`, `VPS`. */
  from: string;
}

/** One picture in decoding order, as the codec-specific assemblers hand it to timing. */
export interface CodedPicture {
  nals: NalUnit[];
  /** Input offset of the first byte of the picture's first NAL. */
  byteOffset: number;
  /** IDR / IRAP / recovery point: decoding can start here. */
  randomAccess: boolean;
  /** Earlier pictures are all output before this one: IDR, MMCO 5, IRAP with NoRaslOutputFlag. */
  flushBefore: boolean;
  /** PicOrderCnt for output ordering (0 when the slice header could not be parsed). */
  poc: number;
  /** Reorder depth of the active SPS. */
  reorder: number;
  timing: StreamTiming | undefined;
  /** False when the slice header could not be parsed (no parameter sets yet): only leading pictures can be like that. */
  parsed: boolean;
  /** A leading picture that cannot be decoded from where decoding started (HEVC RASL after the first CRA). */
  undecodable: boolean;
}

/** A picture whose slice header could not be parsed (no parameter sets yet): carried, never timed by POC. */
export function unparsedPicture(nals: NalUnit[], byteOffset: number): CodedPicture {
  return {
    nals,
    byteOffset,
    randomAccess: false,
    flushBefore: false,
    poc: 0,
    reorder: 0,
    timing: undefined,
    parsed: false,
    undecodable: false,
  };
}

/** Reports recoverable problems; the pipeline dedupes them per code. */
export type WarnFn = (code: EsWarningCode, message: string) => void;

/** The input ended inside a picture or a parameter set, which the assembler dropped. */
export interface Truncation {
  /** Input offset of the first byte dropped (the picture's first NAL, or the parameter set). */
  offset: number;
  /** What the input ends inside of, for messages: `the input ends inside a slice header`. */
  what: string;
  /** Pictures dropped: 1, or 0 for a parameter set. */
  pictures: number;
}

/** What an assembler needs from the pipeline. */
export interface PictureAssemblerOptions {
  source?: string | undefined;
  warn: WarnFn;
  /** The input ended inside something, which was dropped (the pipeline warns, records or throws). */
  truncated: (truncation: Truncation) => void;
}

/** Codec-specific: NAL units in, coded pictures out (ITU-T H.264 7.4.1.2.3 / H.265 7.4.2.4.4). */
export interface PictureAssembler {
  /** `last` marks the final NAL of the input, which may be truncated. */
  push(nal: Uint8Array, position: number, last: boolean, out: CodedPicture[]): void;
  /**
   * The input ended: the picture in progress, if complete (else it is
   * dropped and reported through `truncated`).
   */
  end(out: CodedPicture[]): void;
  /** NAL lists of the pictures held between pushes (the one in progress, a first field). */
  held(): NalUnit[][];
}
