export {
  type AtomicFile,
  type AtomicFileOptions,
  atomicFile,
  partPath,
  withAtomicFile,
  writeFileAtomic,
} from './atomicFile.js';
export { type FileSource, type FileSourceOptions, openFileSource } from './fileSource.js';
export { PartWriter } from './PartWriter.js';
