import { EsParseError } from '../EsParseError.js';
import { EsWarningCode } from '../EsWarningCode.js';
import { BitReader } from './BitReader.js';
import type { WarnFn } from './CodedPicture.js';
import { hasRecoveryPoint } from './h264/hasRecoveryPoint.js';
import { unescapeRbsp } from './unescapeRbsp.js';

/**
 * Bit readers over the RBSP of NAL units (emulation prevention removed,
 * 7.4.1.1 / H.265 7.4.2), in one reused scratch buffer: the reader of a NAL
 * is valid until the next call. Errors name the input and the NAL's offset.
 */
export class RbspReader {
  readonly #scratch: { buffer: Uint8Array };
  readonly #headerBytes: number;
  readonly #source: string | undefined;

  /** `headerBytes`: the NAL header to skip (1 for H.264, 2 for HEVC). */
  constructor(options: { headerBytes: 1 | 2; scratchBytes: number; source?: string | undefined }) {
    this.#headerBytes = options.headerBytes;
    this.#scratch = { buffer: new Uint8Array(options.scratchBytes) };
    this.#source = options.source;
  }

  /** A reader of the first `maxBytes` of the NAL (all of it by default), for error messages about `what`. */
  read(nal: Uint8Array, position: number, what: string, maxBytes: number = nal.length): BitReader {
    const length = unescapeRbsp(nal, this.#scratch, maxBytes);
    return new BitReader(this.#scratch.buffer, {
      length,
      startByte: this.#headerBytes,
      offset: position,
      what,
      source: this.#source,
    });
  }

  /** An SEI NAL carries a recovery point (D.2.8 / H.265 D.3.8); an unreadable SEI is a warning, not an error. */
  seiHasRecoveryPoint(nal: Uint8Array, position: number, warn: WarnFn): boolean {
    try {
      return hasRecoveryPoint(this.read(nal, position, 'SEI'));
    } catch (error) {
      if (!(error instanceof EsParseError)) throw error;
      warn(EsWarningCode.InvalidSei, 'an SEI message could not be parsed; it was passed through unread');
      return false;
    }
  }
}
