import type { HevcEntryPoints } from './parseHevcEntryPoints.js';

/**
 * Tells whether a slice segment at the end of an input is cut short. With
 * tiles or wavefronts (entropy_coding_sync_enabled_flag; x265's default),
 * the header gives the byte length of each substream but the last
 * (entry_point_offset_minus1[i] + 1, ITU-T H.265 7.4.7.1): a NAL unit that
 * does not reach into its last substream lost its end. Trusted only once a
 * complete segment of the input (one another NAL unit followed) was seen to
 * fit its entry points, and never after one did not (a header this package
 * misread, an encoder that got them wrong): then nothing is concluded.
 */
export class SubstreamCheck {
  #seen = false;
  #trusted = true;

  /** A segment known to be complete: does it fit, as every one must? */
  complete(nal: Uint8Array, entry: HevcEntryPoints | undefined): void {
    if (entry === undefined || entry.count === 0) return;
    if (fits(nal, entry)) this.#seen = true;
    else this.#trusted = false;
  }

  /** The input's last segment ends before its last substream. */
  isShort(nal: Uint8Array, entry: HevcEntryPoints | undefined): boolean {
    if (entry === undefined || entry.count === 0 || !this.#seen || !this.#trusted) return false;
    return !fits(nal, entry);
  }
}

/** The slice segment data (escaped, after the header) reaches past every substream but the last. */
function fits(nal: Uint8Array, entry: HevcEntryPoints): boolean {
  return nal.length - escapedLength(nal, entry.headerBytes) > entry.substreamBytes;
}

/**
 * Bytes of `nal` that hold its first `rbspBytes` RBSP bytes: each
 * emulation_prevention_three_byte (0x03 after 0x00 0x00, 7.4.2) among them
 * counts too.
 */
function escapedLength(nal: Uint8Array, rbspBytes: number): number {
  let zeros = 0;
  let n = 0;
  let i = 0;
  for (; i < nal.length && n < rbspBytes; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    n++;
  }
  // An emulation prevention byte right after the header still belongs to the header's bytes.
  if (zeros >= 2 && nal[i] === 3) i++;
  return i;
}
