import { EsWarningCode } from '../EsWarningCode.js';

/** PSI sections are at most 4096 bytes (ISO/IEC 13818-1 2.4.4.11, private sections). */
const MAX_SECTION = 4096;

/** Where a section started: the packet that carried its first byte. */
export interface SectionStart {
  offset: number;
  packetIndex: number;
}

export interface PsiSectionAssemblerOptions {
  /** A whole section (its bytes are valid until the next `push`). */
  onSection: (pid: number, section: Uint8Array, start: SectionStart) => void;
  warn: (code: EsWarningCode, message: string) => void;
}

interface OpenSection extends SectionStart {
  buffer: Uint8Array;
  fill: number;
}

/**
 * Reassembles PSI sections (ISO/IEC 13818-1 2.4.4) from the payloads of the
 * packets of each PSI PID: a pointer_field on a payload unit start, then
 * sections back to back until 0xFF stuffing, a section continuing in the
 * next packets until its section_length is reached.
 */
export class PsiSectionAssembler {
  readonly #options: PsiSectionAssemblerOptions;
  readonly #open = new Map<number, OpenSection>();

  constructor(options: PsiSectionAssemblerOptions) {
    this.#options = options;
  }

  /** The payload `b[start, end)` of a packet on PSI PID `pid` (2.4.4.1). */
  push(
    pid: number,
    pusi: boolean,
    b: Uint8Array,
    start: number,
    end: number,
    offset: number,
    packetIndex: number,
  ): void {
    let at = start;
    if (!pusi) {
      const open = this.#open.get(pid);
      if (open) this.#append(pid, open, b, at, end);
      return;
    }
    const pointer = b[at]!; // pointer_field
    at++;
    const open = this.#open.get(pid);
    if (open && pointer > 0) this.#append(pid, open, b, at, Math.min(end, at + pointer));
    this.#open.delete(pid);
    at += pointer;
    while (at < end && b[at] !== 0xff) {
      const fresh: OpenSection = { buffer: new Uint8Array(MAX_SECTION), fill: 0, offset, packetIndex };
      this.#open.set(pid, fresh);
      at = this.#append(pid, fresh, b, at, end);
      if (this.#open.get(pid) === fresh) break; // still open: continues in the next packet
    }
  }

  /** A continuity error on `pid`: the section being reassembled there is lost. */
  reset(pid: number): void {
    this.#open.delete(pid);
  }

  /** Appends bytes to an open section; completes it when whole. Returns where the section ended (or `end`). */
  #append(pid: number, open: OpenSection, b: Uint8Array, from: number, end: number): number {
    const buf = open.buffer;
    let at = from;
    // table_id, section_syntax_indicator .. section_length: the 3 bytes that give the length.
    while (open.fill < 3 && at < end) buf[open.fill++] = b[at++]!;
    if (open.fill < 3) return end;
    const total = 3 + (((buf[1]! & 0x0f) << 8) | buf[2]!); // section_length
    if (total > MAX_SECTION) {
      this.#options.warn(
        EsWarningCode.TsBadSection,
        'PSI sections with a section_length beyond 4093 were skipped',
      );
      this.#open.delete(pid);
      return end;
    }
    const take = Math.min(total - open.fill, end - at);
    buf.set(b.subarray(at, at + take), open.fill);
    open.fill += take;
    at += take;
    if (open.fill < total) return end;
    this.#open.delete(pid);
    this.#options.onSection(pid, buf.subarray(0, total), open);
    return at;
  }
}
