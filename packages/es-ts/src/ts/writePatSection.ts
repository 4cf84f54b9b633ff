import { crc32Mpeg2 } from './crc32Mpeg2.js';

export interface PatProgram {
  /** program_number (1..65535; 0 would name the network PID). */
  programNumber: number;
  /** program_map_PID. */
  pmtPid: number;
}

export interface PatOptions {
  transportStreamId?: number;
  /** version_number (5 bits). */
  version?: number;
  programs: readonly PatProgram[];
}

/**
 * A program_association_section (ISO/IEC 13818-1 2.4.4.3, Table 2-30),
 * CRC_32 included, without pointer_field.
 */
export function writePatSection(options: PatOptions): Uint8Array {
  const { transportStreamId = 1, version = 0, programs } = options;
  const sectionLength = 5 + 4 * programs.length + 4; // bytes after section_length, CRC_32 included
  const s = new Uint8Array(3 + sectionLength);
  s[0] = 0x00; // table_id: program_association_section
  s[1] = 0xb0 | ((sectionLength >> 8) & 0x0f); // section_syntax_indicator '1', '0', reserved '11', section_length[11..8]
  s[2] = sectionLength & 0xff; // section_length[7..0]
  s[3] = (transportStreamId >> 8) & 0xff; // transport_stream_id
  s[4] = transportStreamId & 0xff;
  s[5] = 0xc0 | ((version & 0x1f) << 1) | 1; // reserved '11', version_number, current_next_indicator '1'
  s[6] = 0x00; // section_number
  s[7] = 0x00; // last_section_number
  let at = 8;
  for (const { programNumber, pmtPid } of programs) {
    s[at] = (programNumber >> 8) & 0xff; // program_number
    s[at + 1] = programNumber & 0xff;
    s[at + 2] = 0xe0 | ((pmtPid >> 8) & 0x1f); // reserved '111', program_map_PID[12..8]
    s[at + 3] = pmtPid & 0xff; // program_map_PID[7..0]
    at += 4;
  }
  writeCrc(s, at);
  return s;
}

/** Appends CRC_32 over `s[0, at)` at `at` (2.4.4.10). */
export function writeCrc(s: Uint8Array, at: number): void {
  const crc = crc32Mpeg2(s, 0, at);
  s[at] = crc >>> 24; // CRC_32
  s[at + 1] = (crc >>> 16) & 0xff;
  s[at + 2] = (crc >>> 8) & 0xff;
  s[at + 3] = crc & 0xff;
}
