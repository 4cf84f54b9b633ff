/**
 * `@rec/mux/wav`: the RIFF/WAVE primitives under the WAV join: the header
 * writer (44-byte canonical header, for fixtures and fuzzers), the chunk
 * reader and the format helpers.
 */
export { encodeWavHeader, maxWavDataBytes, wavHeaderSize } from './encodeWavHeader.js';
export { type ReadWavInfoOptions, readWavInfo, type WavInfo } from './readWavInfo.js';
export { describeWavFormat, sameWavFormat, silenceByte, type WavFormat } from './WavFormat.js';
