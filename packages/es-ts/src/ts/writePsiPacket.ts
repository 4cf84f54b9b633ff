import { TS_PACKET_SIZE, TS_SYNC_BYTE } from './tsPacket.js';

/**
 * One transport packet carrying a whole PSI section that fits in it
 * (ISO/IEC 13818-1 2.4.3.2, 2.4.4.2): payload_unit_start_indicator = 1,
 * pointer_field = 0, the section, then stuffing bytes 0xFF up to 188
 * (2.4.4: "stuffing bytes ... may occur after the last byte of a section").
 * continuity_counter is 0; the writer patches it.
 */
export function writePsiPacket(pid: number, section: Uint8Array): Uint8Array {
  if (section.length > TS_PACKET_SIZE - 5) {
    throw new RangeError(`PSI section of ${section.length} bytes does not fit one packet (max 183)`);
  }
  const p = new Uint8Array(TS_PACKET_SIZE).fill(0xff);
  p[0] = TS_SYNC_BYTE; // sync_byte
  p[1] = 0x40 | ((pid >> 8) & 0x1f); // transport_error_indicator 0, payload_unit_start_indicator 1, transport_priority 0, PID[12..8]
  p[2] = pid & 0xff; // PID[7..0]
  p[3] = 0x10; // transport_scrambling_control '00', adaptation_field_control '01' (payload only), continuity_counter 0
  p[4] = 0x00; // pointer_field
  p.set(section, 5);
  return p;
}
