export {
  type BinaryName,
  BinarySource,
  type ResolveBinaryOptions,
  type ResolvedBinary,
  resolveBinary,
  resolveFfmpeg,
  resolveFfprobe,
} from './ffmpeg/resolveBinary.js';
export { MuxError, MuxErrorCode } from './MuxError.js';
