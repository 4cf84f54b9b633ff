/** Constants of the transport stream packet layer (ISO/IEC 13818-1 2.4.3.2). */

/** A transport_packet() is always 188 bytes. */
export const TS_PACKET_SIZE = 188;
/** Bytes after the 4-byte packet header: adaptation field plus payload. */
export const TS_PAYLOAD_SIZE = 184;
/** sync_byte. */
export const TS_SYNC_BYTE = 0x47;
/** PID of the Program Association Table (Table 2-3). */
export const PAT_PID = 0x0000;
/** Null packets (Table 2-3). */
export const NULL_PID = 0x1fff;
/** PTS, DTS and PCR_base are 33-bit counters of the 90 kHz clock (2.4.2.2). */
export const TIMESTAMP_MODULO = 2 ** 33;

/** `value` modulo 2^33, non-negative: how a 90 kHz timestamp is carried in 33 bits. */
export const wrapTimestamp = (value: number): number => {
  const wrapped = value % TIMESTAMP_MODULO;
  return wrapped < 0 ? wrapped + TIMESTAMP_MODULO : wrapped;
};
