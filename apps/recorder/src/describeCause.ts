/** `EACCES: permission denied` -> `permission denied (EACCES)`, for one-line messages. */
export function describeCause(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    const message = error instanceof Error ? error.message : '';
    const reason = /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
    return `${reason} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
