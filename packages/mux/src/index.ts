/**
 * `@rec/mux`: the entry points of a recording's final assembly and their
 * types: audio chunks joined (`buildAudioTrack`, `joinWav`/`planWavJoin`,
 * `joinAdts`) and encoded (`encodeAac`), the recording written
 * (`writeRecording`) and read back (`probeRecording`), the readers of one
 * chunk, ffmpeg's resolution. WAV primitives are on `@rec/mux/wav`.
 */

// es-ts's, the type of `AdtsInfo.format` (`readAdtsInfo`).
export type { AdtsFormat } from '@rec/es-ts/bitstream';
export {
  type AacStreamFormat,
  type EncodeAacOptions,
  type EncodeAacResult,
  encodeAac,
} from './aac/encodeAac.js';
export { aacPrerollSeconds } from './aac/planAacChunks.js';
export { type AudioDamage, AudioDamageReason } from './audio/AudioDamage.js';
export {
  AudioChunkCodec,
  type AudioTrack,
  type AudioTrackChunk,
  AudioTrackPhase,
  type AudioTrackPlan,
  type AudioTrackProgress,
  type BuildAudioTrackOptions,
  buildAudioTrack,
} from './audio/buildAudioTrack.js';
export { type AdtsChunk, type JoinAdtsOptions, type JoinAdtsResult, joinAdts } from './audio/joinAdts.js';
export {
  type JoinWavOptions,
  type JoinWavResult,
  joinWav,
  type PlanWavJoinOptions,
  planWavJoin,
  type WavChunk,
  type WavJoin,
} from './audio/joinWav.js';
export type { PcmSource } from './audio/PcmSource.js';
export type { AudioGap, AudioOverlap } from './audio/planAudioTimeline.js';
export { type AdtsInfo, type ReadAdtsInfoOptions, readAdtsInfo } from './audio/readAdtsInfo.js';
export { type ProbedRecording, type ProbedStream, probeRecording } from './ffmpeg/probeRecording.js';
export {
  BinarySource,
  type ResolveBinaryOptions,
  type ResolvedBinary,
  resolveFfmpeg,
  resolveFfprobe,
} from './ffmpeg/resolveBinary.js';
export { MuxError, MuxErrorCode } from './MuxError.js';
export { MuxWarningCode } from './MuxWarningCode.js';
export { RecordingFormat } from './output/RecordingFormat.js';
export {
  type RecordingAac,
  type RecordingAacStream,
  type RecordingAudio,
  type RecordingSegments,
  type RecordingVideo,
  WritePhase,
  type WriteProgress,
  type WriteRecordingOptions,
  type WriteRecordingResult,
  writeRecording,
} from './output/writeRecording.js';
export { type CheckLastPicturesOptions, checkLastPictures } from './video/checkLastPictures.js';
export {
  type FindUndecodablePicturesOptions,
  findUndecodablePictures,
  type UndecodablePicture,
} from './video/findUndecodablePictures.js';
export { type ReadWavInfoOptions, readWavInfo, type WavInfo } from './wav/readWavInfo.js';
export type { WavFormat } from './wav/WavFormat.js';
