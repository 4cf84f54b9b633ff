/** Where an error keeps the `--json` result of the run that ended with it. */
const resultKey = Symbol.for('rec.cli.jsonResult');

/**
 * Gives `error` the run's `--json` result (a summary of what was done
 * before it failed), so that stdout gets one JSON document
 * `{ "ok": false, ...result, "error": { "code", "message" } }` instead of
 * the summary followed by runCli's error object: scripts read stdout with
 * one `JSON.parse`.
 */
export function withJsonResult<E extends Error>(error: E, result: Readonly<Record<string, unknown>>): E {
  Object.defineProperty(error, resultKey, { value: result, enumerable: false });
  return error;
}

/** The result `withJsonResult` gave `error`, if any. */
export function jsonResultOf(error: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { [resultKey]?: Readonly<Record<string, unknown>> })[resultKey];
}
