import fc from 'fast-check';

/**
 * fast-check parameters reproducible from CI output: the seed is `FC_SEED`
 * when set, else random; a failure's report ends with the line that replays
 * it (`FC_SEED=... FC_PATH=...`, run the one test with `-t`).
 */
export function fcParameters<Ts>(numRuns: number): fc.Parameters<Ts> {
  const seed =
    process.env.FC_SEED === undefined ? (Math.random() * 2 ** 32) | 0 : Number(process.env.FC_SEED);
  return {
    numRuns,
    seed,
    path: process.env.FC_PATH || undefined,
    reporter(details) {
      if (!details.failed) return;
      const path = details.counterexamplePath ? ` FC_PATH=${details.counterexamplePath}` : '';
      throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay with FC_SEED=${details.seed}${path}`, {
        cause: details.errorInstance,
      });
    },
  };
}
