export { type AdtsFrame, AdtsReader, type AdtsReaderOptions, type AdtsSummary } from './aac/AdtsReader.js';
export { AAC_FRAME_SAMPLES, ADTS_SAMPLE_RATES, type AdtsHeader, readAdtsHeader } from './aac/adtsHeader.js';
export { type ReadAdtsOptions, readAdts } from './aac/readAdts.js';
export { AnnexBScanner, type NalPosition } from './bitstream/AnnexBScanner.js';
export { BitReader } from './bitstream/BitReader.js';
export { findStartCode } from './bitstream/findStartCode.js';
export { unescapeRbsp } from './bitstream/unescapeRbsp.js';
export type { EsMuxOutput, EsMuxResult, EsSegmentOverlap, EsSegmentSummary } from './EsMuxResult.js';
export { EsParseError, EsParseErrorCode } from './EsParseError.js';
export { EsWarningCode } from './EsWarningCode.js';
export { type MuxAudioOptions, muxAudio } from './muxAudio.js';
export { type MuxElementaryStreamOptions, muxElementaryStream } from './muxElementaryStream.js';
export { type EsSegment, type MuxSegmentsOptions, muxSegments } from './muxSegments.js';
export { DEFAULT_START_PTS, type ParseAccessUnitsOptions, parseAccessUnits } from './parseAccessUnits.js';
export { type TsTarget, type WritableLike, writableTarget } from './TsTarget.js';
export { crc32Mpeg2 } from './ts/crc32Mpeg2.js';
export { PCR_EXT_PER_BASE, readPcr, writePcr } from './ts/pcr.js';
export {
  PesTimestampPrefix,
  pesTimestampMarkersValid,
  readPesTimestamp,
  writePesTimestamp,
} from './ts/pesTimestamp.js';
export {
  type PatSection,
  type PmtSection,
  type PsiSectionHeader,
  readPatSection,
  readPmtSection,
  readPsiSectionHeader,
} from './ts/readPsiSection.js';
export { type ReadTsOptions, readTs } from './ts/readTs.js';
export { StreamType } from './ts/StreamType.js';
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
} from './ts/TsReader.js';
export {
  DEFAULT_PCR_DELAY,
  MAX_PCR_BRIDGE,
  TS_REPEAT_INTERVAL,
  TsWriter,
  type TsWriterOptions,
} from './ts/TsWriter.js';
export {
  NULL_PID,
  PAT_PID,
  TIMESTAMP_MODULO,
  TS_PACKET_SIZE,
  TS_PAYLOAD_SIZE,
  TS_SYNC_BYTE,
  wrapTimestamp,
} from './ts/tsPacket.js';
export { type PatOptions, type PatProgram, writePatSection } from './ts/writePatSection.js';
export { type PesHeaderFields, PesStreamId, pesHeaderLength, writePesHeader } from './ts/writePesHeader.js';
export { type PmtOptions, type PmtStream, writePmtSection } from './ts/writePmtSection.js';
export { writePsiPacket } from './ts/writePsiPacket.js';
export { type AccessUnit, type AudioFrame, Codec, type NalUnit, TS_CLOCK } from './types.js';
