import { RequestError } from 'got';

/** One line for a failed transfer: the HTTP status or the error code, and the message, never a query string. */
export function describeError(error: unknown): string {
  if (error instanceof RequestError) {
    const status = error.response?.statusCode;
    const head = status === undefined ? (error.code ?? error.name) : `HTTP ${status}`;
    return `${head}: ${error.message.replace(/\?[^\s'"]*/g, '')}`;
  }
  if (error instanceof Error)
    return `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`;
  return String(error);
}
