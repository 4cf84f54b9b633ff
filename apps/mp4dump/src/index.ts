/**
 * The mp4dump app is a CLI (src/cli.ts); its box reader is @rec/fmp4-boxes.
 * Exported: its error class and codes, for scripts that run it in-process
 * and for the cross-package check that codes are unique.
 */
export { Mp4DumpError, Mp4DumpErrorCode } from './Mp4DumpError.js';
