import type { BitReader } from '../BitReader.js';

/**
 * Whether an SEI RBSP (ITU-T H.264 7.3.2.3 / H.265 7.3.2.4, after the NAL
 * header) carries a recovery point message (payloadType 6, D.1.8 / D.2.8).
 * Message payloads are skipped by size, never parsed.
 */
export function hasRecoveryPoint(r: BitReader): boolean {
  while (r.moreRbspData()) {
    let payloadType = 0;
    let byte = r.u(8, 'last_payload_type_byte');
    while (byte === 0xff) {
      payloadType += 255;
      byte = r.u(8, 'ff_byte');
    }
    payloadType += byte;
    let payloadSize = 0;
    byte = r.u(8, 'last_payload_size_byte');
    while (byte === 0xff) {
      payloadSize += 255;
      byte = r.u(8, 'ff_byte');
    }
    payloadSize += byte;
    if (payloadType === 6) return true;
    if (payloadSize * 8 > r.bitsLeft) return false;
    r.skip(payloadSize * 8, 'sei_payload');
  }
  return false;
}
