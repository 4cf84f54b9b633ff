import type { PatProgram } from './writePatSection.js';
import type { PmtStream } from './writePmtSection.js';

/** The fields common to long-form PSI sections (ISO/IEC 13818-1 2.4.4.3 ff.). */
export interface PsiSectionHeader {
  tableId: number;
  sectionSyntaxIndicator: boolean;
  /** section_length: bytes after this field, CRC_32 included. */
  sectionLength: number;
  /** transport_stream_id (PAT) or program_number (PMT). */
  tableIdExtension: number;
  version: number;
  currentNext: boolean;
  sectionNumber: number;
  lastSectionNumber: number;
}

export interface PatSection extends PsiSectionHeader {
  /** program_number 0 entries (network_PID) are left out. */
  programs: PatProgram[];
  networkPid: number | undefined;
}

export interface PmtSection extends PsiSectionHeader {
  programNumber: number;
  pcrPid: number;
  streams: Required<PmtStream>[];
}

/** Reads the header of a section that holds at least 8 bytes; the caller checked length and CRC. */
export function readPsiSectionHeader(s: Uint8Array): PsiSectionHeader {
  return {
    tableId: s[0]!, // table_id
    sectionSyntaxIndicator: (s[1]! & 0x80) !== 0, // section_syntax_indicator
    sectionLength: ((s[1]! & 0x0f) << 8) | s[2]!, // section_length
    tableIdExtension: (s[3]! << 8) | s[4]!, // transport_stream_id / program_number
    version: (s[5]! >> 1) & 0x1f, // version_number
    currentNext: (s[5]! & 0x01) !== 0, // current_next_indicator
    sectionNumber: s[6]!, // section_number
    lastSectionNumber: s[7]!, // last_section_number
  };
}

/** A whole program_association_section (2.4.4.3), CRC included; undefined when too short. */
export function readPatSection(s: Uint8Array): PatSection | undefined {
  if (s.length < 12) return undefined;
  const header = readPsiSectionHeader(s);
  const end = Math.min(s.length, 3 + header.sectionLength) - 4; // before CRC_32
  const programs: PatProgram[] = [];
  let networkPid: number | undefined;
  for (let at = 8; at + 4 <= end; at += 4) {
    const programNumber = (s[at]! << 8) | s[at + 1]!; // program_number
    const pid = ((s[at + 2]! & 0x1f) << 8) | s[at + 3]!; // network_PID / program_map_PID
    if (programNumber === 0) networkPid = pid;
    else programs.push({ programNumber, pmtPid: pid });
  }
  return { ...header, programs, networkPid };
}

/** A whole TS_program_map_section (2.4.4.8), CRC included; undefined when malformed. */
export function readPmtSection(s: Uint8Array): PmtSection | undefined {
  if (s.length < 16) return undefined;
  const header = readPsiSectionHeader(s);
  const end = Math.min(s.length, 3 + header.sectionLength) - 4; // before CRC_32
  const pcrPid = ((s[8]! & 0x1f) << 8) | s[9]!; // PCR_PID
  const programInfoLength = ((s[10]! & 0x0f) << 8) | s[11]!; // program_info_length
  const streams: Required<PmtStream>[] = [];
  let at = 12 + programInfoLength;
  while (at + 5 <= end) {
    const streamType = s[at]!; // stream_type
    const pid = ((s[at + 1]! & 0x1f) << 8) | s[at + 2]!; // elementary_PID
    const infoLength = ((s[at + 3]! & 0x0f) << 8) | s[at + 4]!; // ES_info_length
    if (at + 5 + infoLength > end) return undefined;
    streams.push({ streamType, pid, descriptors: s.slice(at + 5, at + 5 + infoLength) });
    at += 5 + infoLength;
  }
  return { ...header, programNumber: header.tableIdExtension, pcrPid, streams };
}
