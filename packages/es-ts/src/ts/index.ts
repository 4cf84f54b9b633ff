/**
 * `@rec/es-ts/ts`: the ISO/IEC 13818-1 transport stream primitives under
 * the muxers: the writer and reader, PSI sections, PES headers, PCR and
 * timestamp fields, CRC-32.
 */
export { crc32Mpeg2 } from './crc32Mpeg2.js';
export { PCR_EXT_PER_BASE, readPcr, writePcr } from './pcr.js';
export {
  PesTimestampPrefix,
  pesTimestampMarkersValid,
  readPesTimestamp,
  writePesTimestamp,
} from './pesTimestamp.js';
export {
  type PatSection,
  type PmtSection,
  type PsiSectionHeader,
  readPatSection,
  readPmtSection,
  readPsiSectionHeader,
} from './readPsiSection.js';
export { StreamType } from './StreamType.js';
export {
  MAX_LISTED_ERRORS,
  type TsContinuityError,
  type TsPcr,
  type TsPes,
  type TsProgram,
  TsReader,
  type TsReaderOptions,
  type TsReadResult,
  type TsSection,
  type TsStream,
  type TsSyncLoss,
} from './TsReader.js';
export {
  DEFAULT_PCR_DELAY,
  MAX_PCR_BRIDGE,
  TS_REPEAT_INTERVAL,
  TsWriter,
  type TsWriterOptions,
} from './TsWriter.js';
export {
  NULL_PID,
  PAT_PID,
  TIMESTAMP_MODULO,
  TS_PACKET_SIZE,
  TS_PAYLOAD_SIZE,
  TS_SYNC_BYTE,
  wrapTimestamp,
} from './tsPacket.js';
export { type PatOptions, type PatProgram, writePatSection } from './writePatSection.js';
export { type PesHeaderFields, PesStreamId, pesHeaderLength, writePesHeader } from './writePesHeader.js';
export { type PmtOptions, type PmtStream, writePmtSection } from './writePmtSection.js';
export { writePsiPacket } from './writePsiPacket.js';
