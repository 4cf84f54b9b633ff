import fc from 'fast-check';

/**
 * fast-check parameters reproducible from CI output: the seed is `FC_SEED`
 * when set, else a fresh one; a failure throws fast-check's report plus the
 * line to replay it (`FC_SEED=<seed> FC_PATH=<path>`); `FC_RUNS` overrides the run count.
 */
export function fcParameters<Ts>(numRuns: number, env: NodeJS.ProcessEnv = process.env): fc.Parameters<Ts> {
  const seed = env.FC_SEED === undefined ? (Math.random() * 2 ** 32) | 0 : Number(env.FC_SEED);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${env.FC_SEED}`);
  return {
    // FC_RUNS raises the count for a longer local hunt.
    numRuns: env.FC_RUNS === undefined ? numRuns : Number(env.FC_RUNS),
    seed,
    path: env.FC_PATH || undefined,
    reporter: (details) => {
      if (!details.failed) return;
      const replay = `FC_SEED=${details.seed}${details.counterexamplePath ? ` FC_PATH=${details.counterexamplePath}` : ''}`;
      throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay with ${replay}`, {
        cause: details.errorInstance,
      });
    },
  };
}
