/**
 * `@rec/es-ts`: H.264/H.265/AAC elementary streams to MPEG-TS, and what it
 * takes to read one back. The entry points and their types; the TS and
 * bitstream primitives are on `@rec/es-ts/ts` and `@rec/es-ts/bitstream`.
 */
export type { AdtsFrame, AdtsSummary } from './aac/AdtsReader.js';
export { AAC_FRAME_SAMPLES, type AdtsHeader } from './aac/adtsHeader.js';
export { type ReadAdtsOptions, readAdts } from './aac/readAdts.js';
export { DEFAULT_START_PTS, TS_CLOCK } from './clock.js';
export { type EsDamage, EsDamageReason } from './EsDamage.js';
export type { EsMuxOutput, EsMuxResult, EsSegmentOverlap, EsSegmentSummary } from './EsMuxResult.js';
export { EsParseError, EsParseErrorCode } from './EsParseError.js';
export type { DamagedFrom } from './EsParser.js';
export { EsWarningCode } from './EsWarningCode.js';
export { type MuxAudioOptions, muxAudio } from './muxAudio.js';
export { type MuxElementaryStreamOptions, muxElementaryStream } from './muxElementaryStream.js';
export { type EsSegment, type MuxSegmentsOptions, muxSegments } from './muxSegments.js';
export { type ParseAccessUnitsOptions, parseAccessUnits } from './parseAccessUnits.js';
export { type TsTarget, type WritableLike, writableTarget } from './TsTarget.js';
export { type ReadTsOptions, readTs } from './ts/readTs.js';
export { StreamType } from './ts/StreamType.js';
export {
  type SummarizeTsOptions,
  summarizeTs,
  type TsStreamSummary,
  type TsSummary,
} from './ts/summarizeTs.js';
export type {
  TsContinuityError,
  TsPcr,
  TsPes,
  TsProgram,
  TsReaderOptions,
  TsReadResult,
  TsSection,
  TsStream,
  TsSyncLoss,
} from './ts/TsReader.js';
export { type AccessUnit, type AudioFrame, Codec, type NalUnit } from './types.js';
