export type { Box, BoxFields, FullBox, Uint64 } from './Box.js';
export type { BoxDecoder, DecodeContext } from './BoxDecoder.js';
export { BoxParseError, BoxParseErrorCode } from './BoxParseError.js';
export { defaultDecoders } from './defaultDecoders.js';
export type { BoxWalkOptions } from './read/options.js';
export { type ParseBoxesOptions, parseBoxes } from './read/parseBoxes.js';
export { type ReadBoxesOptions, readBoxes } from './read/readBoxes.js';
