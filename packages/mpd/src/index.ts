export { MpdError, MpdErrorCode } from './MpdError.js';
