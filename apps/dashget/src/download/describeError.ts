import { HttpRequestError } from './HttpRequestError.js';

/** One line for a failed transfer: the HTTP status or the error code, and the message, never a query string. */
export function describeError(error: unknown): string {
  if (error instanceof HttpRequestError) {
    const head = error.statusCode === undefined ? error.code : `HTTP ${error.statusCode}`;
    return `${head}: ${error.message.replace(/\?[^\s'"]*/g, '')}`;
  }
  if (error instanceof Error)
    return `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`;
  return String(error);
}
