/**
 * `@rec/es-ts/bitstream`: the elementary-stream primitives under the
 * muxers: the Annex-B scanner (ITU-T H.264 / H.265 Annex B), the RBSP bit
 * reader, NAL unit types, the last picture of a stream (what a decoder
 * checks for a cut), the ADTS reader (ISO/IEC 13818-7 6.2), and the
 * ADTS format facts (header layout, sampling frequencies, object type names,
 * channel configurations).
 */

export {
  type AdtsFormat,
  aacChannelCount,
  aacChannelLayout,
  aacObjectTypeName,
  describeAdtsFormat,
  sameAdtsFormat,
} from '../aac/AdtsFormat.js';
export { type AdtsFrame, AdtsReader, type AdtsReaderOptions, type AdtsSummary } from '../aac/AdtsReader.js';
export {
  AAC_FRAME_SAMPLES,
  ADTS_CRC_BYTES,
  ADTS_HEADER_BYTES,
  ADTS_SAMPLE_RATES,
  type AdtsHeader,
  hasAdtsSyncword,
  readAdtsHeader,
} from '../aac/adtsHeader.js';
export { AnnexBScanner, type AnnexBScannerOptions, type NalPosition } from './AnnexBScanner.js';
export { BitReader } from './BitReader.js';
export { findLastPicture, type LastPicture } from './findLastPicture.js';
export { findStartCode } from './findStartCode.js';
export { H264NalType } from './h264/H264NalType.js';
export { setH264FrameNum } from './h264/setH264FrameNum.js';
export { HevcNalType } from './hevc/HevcNalType.js';
export { unescapeRbsp } from './unescapeRbsp.js';
