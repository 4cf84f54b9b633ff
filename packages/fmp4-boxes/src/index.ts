export { BoxParseError, BoxParseErrorCode } from './BoxParseError.js';
