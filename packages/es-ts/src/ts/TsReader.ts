import { type RecWarning, WarningLog } from '@rec/core';
import { EsWarningCode } from '../EsWarningCode.js';
import { crc32Mpeg2 } from './crc32Mpeg2.js';
import { PesAssembler } from './PesAssembler.js';
import { PsiSectionAssembler, type SectionStart } from './PsiSectionAssembler.js';
import { readPcr } from './pcr.js';
import { readPatSection, readPmtSection } from './readPsiSection.js';
import { NULL_PID, PAT_PID, TS_PACKET_SIZE, TS_SYNC_BYTE } from './tsPacket.js';

export interface TsProgram {
  programNumber: number;
  pmtPid: number;
  /** From the PMT, once seen. */
  pcrPid: number | undefined;
}

export interface TsStream {
  pid: number;
  /** stream_type from the PMT (Table 2-34). */
  streamType: number;
  programNumber: number;
}

export interface TsPes {
  pid: number;
  streamId: number;
  /** 90 kHz, as carried (33 bits, not unwrapped); undefined when the header has none. */
  pts: number | undefined;
  /** 90 kHz; equals `pts` when the header carries PTS only. */
  dts: number | undefined;
  /** Elementary stream bytes after the PES header. */
  size: number;
  /** PES_packet_length as written (0 = unbounded). */
  pesPacketLength: number;
  /** random_access_indicator of the packet that starts this PES. */
  randomAccess: boolean;
  /** Byte offset and index of the packet that starts this PES. */
  offset: number;
  packetIndex: number;
  /** Packets that carried this PES. */
  packets: number;
  /** The elementary stream bytes, with `keepPayload`. */
  payload?: Uint8Array;
}

export interface TsPcr {
  pid: number;
  /** 27 MHz: PCR_base * 300 + PCR_ext. */
  pcr: number;
  /** PCR_base, 90 kHz. */
  base: number;
  discontinuity: boolean;
  offset: number;
  packetIndex: number;
}

export interface TsSection {
  pid: number;
  tableId: number;
  /** Of the packet where the section started. */
  offset: number;
  packetIndex: number;
  length: number;
  /** CRC_32 check (sections with section_syntax_indicator 1); true otherwise. */
  crcValid: boolean;
}

export interface TsContinuityError {
  pid: number;
  offset: number;
  packetIndex: number;
  expected: number;
  found: number;
}

export interface TsSyncLoss {
  /** Where a sync byte was expected. */
  offset: number;
  /** Bytes skipped until the next packet. */
  skipped: number;
}

export interface TsReadResult {
  /** Packets read (null packets included). */
  packets: number;
  bytes: number;
  programs: TsProgram[];
  /** Elementary streams of every PMT, in PMT order. */
  streams: TsStream[];
  /** Empty when `onPes` was given. */
  pes: TsPes[];
  /** Empty when `onPcr` was given. */
  pcrs: TsPcr[];
  /** Empty when `onSection` was given. */
  sections: TsSection[];
  /** The first {@link MAX_LISTED_ERRORS}; `continuityErrorCount` has them all. */
  continuityErrors: TsContinuityError[];
  continuityErrorCount: number;
  /** Packets repeated with the same continuity_counter (2.4.3.3 allows one duplicate). */
  duplicatePackets: number;
  syncLosses: TsSyncLoss[];
  warnings: RecWarning<EsWarningCode>[];
}

export interface TsReaderOptions {
  /** Keep each PES's elementary stream bytes in `payload` (default false). */
  keepPayload?: boolean;
  onPes?: (pes: TsPes) => void;
  onPcr?: (pcr: TsPcr) => void;
  onSection?: (section: TsSection) => void;
}

/** Lists of errors stop growing here; counts go on. */
export const MAX_LISTED_ERRORS = 1000;

/**
 * Incremental ISO/IEC 13818-1 transport stream reader: `push` chunks of any
 * size, then `finish`. Finds the packets (sync bytes, resync), reads their
 * headers and adaptation fields (PCRs), checks continuity counters, and hands
 * the payloads to the reassemblers: PSI sections ({@link PsiSectionAssembler},
 * whose PAT and PMT it follows) and PES packets per PID ({@link PesAssembler}:
 * headers decoded, payload kept only on request).
 */
export class TsReader {
  readonly #options: TsReaderOptions;
  readonly #carry = new Uint8Array(TS_PACKET_SIZE);
  #carryFill = 0;
  /** Absolute offset of the next byte pushed. */
  #offset = 0;
  #packets = 0;
  #synced = true;
  #lostAt = -1;
  readonly #programs = new Map<number, TsProgram>();
  readonly #streams = new Map<number, TsStream>();
  readonly #pmtPids = new Set<number>();
  /** Per PID: last continuity_counter of a packet with payload, -1 before the first. */
  readonly #cc = new Int8Array(8192).fill(-1);
  readonly #duplicateSeen = new Uint8Array(8192);
  readonly #pes: PesAssembler;
  readonly #psi: PsiSectionAssembler;
  readonly #result: TsReadResult = {
    packets: 0,
    bytes: 0,
    programs: [],
    streams: [],
    pes: [],
    pcrs: [],
    sections: [],
    continuityErrors: [],
    continuityErrorCount: 0,
    duplicatePackets: 0,
    syncLosses: [],
    warnings: [],
  };
  readonly #warnings = new WarningLog<EsWarningCode>();

  constructor(options: TsReaderOptions = {}) {
    this.#options = options;
    const warn = (code: EsWarningCode, message: string) => this.#warn(code, message);
    this.#pes = new PesAssembler({
      keepPayload: options.keepPayload ?? false,
      onPes: options.onPes ?? ((pes) => this.#result.pes.push(pes)),
      warn,
    });
    this.#psi = new PsiSectionAssembler({
      onSection: (pid, section, start) => this.#section(pid, section, start),
      warn,
    });
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    if (this.#carryFill > 0) {
      const need = TS_PACKET_SIZE - this.#carryFill;
      if (n < need) {
        this.#carry.set(chunk, this.#carryFill);
        this.#carryFill += n;
        this.#offset += n;
        return;
      }
      this.#carry.set(chunk.subarray(0, need), this.#carryFill);
      this.#packet(this.#carry, 0, this.#offset - this.#carryFill);
      this.#carryFill = 0;
      i = need;
    }
    const base = this.#offset;
    while (i < n) {
      if (!this.#synced || chunk[i] !== TS_SYNC_BYTE) {
        if (this.#synced) {
          this.#synced = false;
          this.#lostAt = base + i;
        }
        // Resync on a sync byte followed by another one 188 bytes later (when that is in view).
        const next = i + TS_PACKET_SIZE;
        if (chunk[i] !== TS_SYNC_BYTE || (next < n && chunk[next] !== TS_SYNC_BYTE)) {
          i++;
          continue;
        }
        this.#synced = true;
        this.#listSyncLoss(base + i);
      }
      if (n - i < TS_PACKET_SIZE) {
        this.#carry.set(chunk.subarray(i), 0);
        this.#carryFill = n - i;
        break;
      }
      this.#packet(chunk, i, base + i);
      i += TS_PACKET_SIZE;
    }
    this.#offset = base + n;
  }

  /** Ends the stream: completes open PES packets and returns everything found. */
  finish(): TsReadResult {
    if (this.#carryFill > 0) {
      this.#warn(
        EsWarningCode.TsTruncated,
        `the stream ends inside a packet (${this.#carryFill} bytes left over)`,
      );
      this.#carryFill = 0;
    }
    if (!this.#synced) {
      this.#listSyncLoss(this.#offset);
      this.#synced = true;
    }
    this.#pes.finish();
    const r = this.#result;
    r.packets = this.#packets;
    r.bytes = this.#offset;
    r.programs = [...this.#programs.values()];
    r.streams = [...this.#streams.values()];
    r.warnings = this.#warnings.list();
    return r;
  }

  #listSyncLoss(at: number): void {
    const r = this.#result;
    if (r.syncLosses.length < MAX_LISTED_ERRORS)
      r.syncLosses.push({ offset: this.#lostAt, skipped: at - this.#lostAt });
    else
      this.#warn(
        EsWarningCode.TsSyncLossesTruncated,
        `more than ${MAX_LISTED_ERRORS} sync losses; only the first are listed`,
      );
  }

  #warn(code: EsWarningCode, message: string): void {
    this.#warnings.add(code, message);
  }

  /** One transport_packet() (2.4.3.2) at `b[i, i + 188)`. */
  #packet(b: Uint8Array, i: number, offset: number): void {
    const index = this.#packets++;
    const b1 = b[i + 1]!;
    const pid = ((b1 & 0x1f) << 8) | b[i + 2]!; // PID
    if (pid === NULL_PID) return;
    if (b1 & 0x80) {
      // transport_error_indicator: the packet is known to be damaged.
      this.#warn(EsWarningCode.TsTransportError, 'packets with transport_error_indicator set were skipped');
      return;
    }
    const pusi = (b1 & 0x40) !== 0; // payload_unit_start_indicator
    const b3 = b[i + 3]!;
    const afc = (b3 >> 4) & 0x03; // adaptation_field_control
    const cc = b3 & 0x0f; // continuity_counter
    if (afc === 0) {
      this.#warn(EsWarningCode.TsReservedAfc, "packets with adaptation_field_control '00' were skipped");
      return;
    }
    let payloadStart = i + 4;
    let discontinuity = false;
    let randomAccess = false;
    if (afc & 0x02) {
      const afLength = b[i + 4]!; // adaptation_field_length
      if (afLength > (afc === 3 ? 182 : 183)) {
        this.#warn(
          EsWarningCode.TsBadAdaptationField,
          'packets with an adaptation_field_length too long were skipped',
        );
        return;
      }
      if (afLength > 0) {
        const flags = b[i + 5]!;
        discontinuity = (flags & 0x80) !== 0; // discontinuity_indicator
        randomAccess = (flags & 0x40) !== 0; // random_access_indicator
        if (flags & 0x10 && afLength >= 7) {
          // PCR_flag: program_clock_reference_base (33), reserved (6), program_clock_reference_extension (9)
          const pcr = readPcr(b, i + 6);
          const event: TsPcr = {
            pid,
            pcr,
            base: Math.floor(pcr / 300),
            discontinuity,
            offset,
            packetIndex: index,
          };
          if (this.#options.onPcr) this.#options.onPcr(event);
          else this.#result.pcrs.push(event);
        }
      }
      payloadStart = i + 5 + afLength;
    }
    if (!(afc & 0x01)) return; // no payload: the counter does not advance (2.4.3.3)

    // continuity_counter (2.4.3.3): +1 per packet with payload, one duplicate allowed, reset by discontinuity_indicator.
    const last = this.#cc[pid]!;
    if (last >= 0 && !discontinuity) {
      if (cc === last) {
        if (!this.#duplicateSeen[pid]) {
          this.#duplicateSeen[pid] = 1;
          this.#result.duplicatePackets++;
          return; // a duplicate carries the same payload again: drop it
        }
        this.#continuityError(pid, offset, index, (last + 1) & 0x0f, cc);
      } else if (cc !== ((last + 1) & 0x0f)) {
        this.#continuityError(pid, offset, index, (last + 1) & 0x0f, cc);
      }
    }
    this.#duplicateSeen[pid] = 0;
    this.#cc[pid] = cc;

    const end = i + TS_PACKET_SIZE;
    if (pid === PAT_PID || this.#pmtPids.has(pid) || pid < 0x20) {
      this.#psi.push(pid, pusi, b, payloadStart, end, offset, index);
    } else {
      this.#pes.push(pid, pusi, b, payloadStart, end, offset, index, randomAccess);
    }
  }

  #continuityError(pid: number, offset: number, packetIndex: number, expected: number, found: number): void {
    const r = this.#result;
    r.continuityErrorCount++;
    if (r.continuityErrors.length < MAX_LISTED_ERRORS)
      r.continuityErrors.push({ pid, offset, packetIndex, expected, found });
    // A gap breaks whatever was being reassembled on this PID.
    if (this.#pes.has(pid)) {
      this.#warn(
        EsWarningCode.TsPesDamaged,
        'PES packets interrupted by a continuity error were ended early',
      );
      this.#pes.end(pid);
    }
    this.#psi.reset(pid);
  }

  /** A whole PSI section: listed, its CRC checked, a PAT or PMT read for the programs and streams. */
  #section(pid: number, s: Uint8Array, state: SectionStart): void {
    const tableId = s[0]!;
    const syntax = (s[1]! & 0x80) !== 0;
    const crcValid = !syntax || crc32Mpeg2(s) === 0;
    const event: TsSection = {
      pid,
      tableId,
      offset: state.offset,
      packetIndex: state.packetIndex,
      length: s.length,
      crcValid,
    };
    if (this.#options.onSection) this.#options.onSection(event);
    else this.#result.sections.push(event);
    if (!crcValid) {
      this.#warn(EsWarningCode.TsCrc, 'PSI sections with a wrong CRC_32 were ignored');
      return;
    }
    if (pid === PAT_PID && tableId === 0x00) {
      const pat = readPatSection(s);
      for (const program of pat?.programs ?? []) {
        if (!this.#programs.has(program.programNumber)) {
          this.#programs.set(program.programNumber, { ...program, pcrPid: undefined });
        }
        this.#pmtPids.add(program.pmtPid);
      }
    } else if (tableId === 0x02 && this.#pmtPids.has(pid)) {
      const pmt = readPmtSection(s);
      if (!pmt) {
        this.#warn(EsWarningCode.TsBadPmt, 'malformed PMT sections were ignored');
        return;
      }
      const program = this.#programs.get(pmt.programNumber);
      if (program) program.pcrPid = pmt.pcrPid;
      for (const { pid: esPid, streamType } of pmt.streams) {
        if (!this.#streams.has(esPid)) {
          this.#streams.set(esPid, { pid: esPid, streamType, programNumber: pmt.programNumber });
        }
      }
    }
  }
}
