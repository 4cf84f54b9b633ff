/**
 * Notices that libraries print about themselves rather than about the run:
 * the AWS SDK's `NodeVersionSupportWarning` (8 lines on every run on Node
 * < 22, emitted by `@aws-sdk/core`'s `emitWarningIfUnsupportedVersion` with
 * `process.emitWarning(message)`, the message starting with its name, when
 * the first S3 client is made: on a TTY, in the middle of the progress bar),
 * and `DeprecationWarning`s (Node's own deprecations that a dependency
 * triggers, such as DEP0040 `punycode` on Node 22). A user of the CLI can do
 * nothing about either; `--debug` shows them.
 */
export function isLibraryNotice(warning: string | Error, type: unknown): boolean {
  const name = typeof warning === 'string' ? (typeof type === 'string' ? type : 'Warning') : warning.name;
  const message = typeof warning === 'string' ? warning : warning.message;
  return (
    name === 'DeprecationWarning' ||
    name === 'NodeVersionSupportWarning' ||
    message.startsWith('NodeVersionSupportWarning')
  );
}

/** The type argument of `process.emitWarning(warning, type | options, ...)`. */
function typeOf(rest: unknown[]): unknown {
  const [first] = rest;
  if (typeof first === 'object' && first !== null) return (first as { type?: unknown }).type;
  return first;
}

/**
 * Drops library notices (see `isLibraryNotice`) on their way to
 * `process.emitWarning`, while `shown()` is false; every other warning goes
 * through unchanged, in Node's own format. Wrapping `emitWarning` is the one
 * place to do it: Node's printing listener on `'warning'` cannot be told to
 * skip one warning, and removing it would change how every other warning
 * looks. Returns the function that puts the original back.
 */
export function hideLibraryNotices(shown: () => boolean): () => void {
  const original = process.emitWarning;
  const filtered = function emitWarning(this: unknown, warning: string | Error, ...rest: unknown[]) {
    if (!shown() && isLibraryNotice(warning, typeOf(rest))) return;
    return (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  process.emitWarning = filtered;
  return () => {
    if (process.emitWarning === filtered) process.emitWarning = original;
  };
}
