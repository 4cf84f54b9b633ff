export {
  defaultAacBitrate,
  type EncodeAacOptions,
  type EncodeAacResult,
  encodeAac,
} from './aac/encodeAac.js';
export {
  AAC_PREROLL_FRAMES,
  AAC_PRIMING_SAMPLES,
  type AacChunk,
  type PlanAacChunksOptions,
  planAacChunks,
} from './aac/planAacChunks.js';
export { type AdtsFormat, describeAdtsFormat, sameAdtsFormat } from './audio/AdtsFormat.js';
export { type AudioDamage, AudioDamageReason } from './audio/AudioDamage.js';
export {
  AudioChunkCodec,
  type AudioTrack,
  type AudioTrackChunk,
  AudioTrackPhase,
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
export { type PcmSource, wavFileSource } from './audio/PcmSource.js';
export {
  type AdtsTimelineChunk,
  type AdtsTimelinePiece,
  type AdtsTimelinePlan,
  defaultContinuityTolerance,
  type PlanAdtsTimelineOptions,
  planAdtsTimeline,
} from './audio/planAdtsTimeline.js';
export {
  type AudioGap,
  type AudioOverlap,
  type AudioTimelinePlan,
  type PlanAudioTimelineOptions,
  planAudioTimeline,
  type TimelineChunk,
  type TimelinePiece,
} from './audio/planAudioTimeline.js';
export { type AdtsInfo, type ReadAdtsInfoOptions, readAdtsInfo } from './audio/readAdtsInfo.js';
export { type FfmpegStatus, parseFfmpegStatus } from './ffmpeg/parseFfmpegStatus.js';
export { type ProbedRecording, type ProbedStream, probeRecording } from './ffmpeg/probeRecording.js';
export {
  type BinaryName,
  BinarySource,
  type ResolveBinaryOptions,
  type ResolvedBinary,
  resolveBinary,
  resolveFfmpeg,
  resolveFfprobe,
} from './ffmpeg/resolveBinary.js';
export {
  type FfmpegInput,
  type FfmpegOutput,
  type RunFfmpegOptions,
  type RunFfmpegResult,
  runFfmpeg,
} from './ffmpeg/runFfmpeg.js';
export { MuxError, MuxErrorCode } from './MuxError.js';
export { MuxWarningCode } from './MuxWarningCode.js';
export { type ClampedTrack, type ClampMp4Result, clampMp4Duration } from './output/clampMp4Duration.js';
export { PTS_CLOCK } from './output/planVideoTimescale.js';
export { RecordingFormat } from './output/RecordingFormat.js';
export {
  type RecordingAac,
  type RecordingAudio,
  type RecordingSegments,
  type RecordingVideo,
  WritePhase,
  type WriteProgress,
  type WriteRecordingOptions,
  type WriteRecordingResult,
  writeRecording,
} from './output/writeRecording.js';
export { encodeWavHeader, wavHeaderSize } from './wav/encodeWavHeader.js';
export { type ReadWavInfoOptions, readWavInfo, type WavInfo } from './wav/readWavInfo.js';
export { describeWavFormat, sameWavFormat, type WavFormat } from './wav/WavFormat.js';
