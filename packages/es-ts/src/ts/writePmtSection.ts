import { writeCrc } from './writePatSection.js';

export interface PmtStream {
  /** stream_type (Table 2-34), e.g. `StreamType.H264`. */
  streamType: number;
  /** elementary_PID. */
  pid: number;
  /** Descriptors of the ES_info loop, already encoded (tag, length, body). */
  descriptors?: Uint8Array;
}

export interface PmtOptions {
  programNumber: number;
  pcrPid: number;
  /** version_number (5 bits). */
  version?: number;
  streams: readonly PmtStream[];
}

/**
 * A TS_program_map_section (ISO/IEC 13818-1 2.4.4.8, Table 2-33), CRC_32
 * included, without pointer_field. No program_info descriptors.
 */
export function writePmtSection(options: PmtOptions): Uint8Array {
  const { programNumber, pcrPid, version = 0, streams } = options;
  let esLoop = 0;
  for (const stream of streams) esLoop += 5 + (stream.descriptors?.length ?? 0);
  const sectionLength = 9 + esLoop + 4; // bytes after section_length, CRC_32 included
  if (sectionLength > 1021) throw new RangeError(`PMT section_length ${sectionLength} exceeds 1021`);
  const s = new Uint8Array(3 + sectionLength);
  s[0] = 0x02; // table_id: TS_program_map_section
  s[1] = 0xb0 | ((sectionLength >> 8) & 0x0f); // section_syntax_indicator '1', '0', reserved '11', section_length[11..8]
  s[2] = sectionLength & 0xff; // section_length[7..0]
  s[3] = (programNumber >> 8) & 0xff; // program_number
  s[4] = programNumber & 0xff;
  s[5] = 0xc0 | ((version & 0x1f) << 1) | 1; // reserved '11', version_number, current_next_indicator '1'
  s[6] = 0x00; // section_number
  s[7] = 0x00; // last_section_number
  s[8] = 0xe0 | ((pcrPid >> 8) & 0x1f); // reserved '111', PCR_PID[12..8]
  s[9] = pcrPid & 0xff; // PCR_PID[7..0]
  s[10] = 0xf0; // reserved '1111', program_info_length[11..8] = 0
  s[11] = 0x00; // program_info_length[7..0]
  let at = 12;
  for (const { streamType, pid, descriptors } of streams) {
    const infoLength = descriptors?.length ?? 0;
    s[at] = streamType; // stream_type
    s[at + 1] = 0xe0 | ((pid >> 8) & 0x1f); // reserved '111', elementary_PID[12..8]
    s[at + 2] = pid & 0xff; // elementary_PID[7..0]
    s[at + 3] = 0xf0 | ((infoLength >> 8) & 0x0f); // reserved '1111', ES_info_length[11..8]
    s[at + 4] = infoLength & 0xff; // ES_info_length[7..0]
    at += 5;
    if (descriptors) {
      s.set(descriptors, at);
      at += infoLength;
    }
  }
  writeCrc(s, at);
  return s;
}
