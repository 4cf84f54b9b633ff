import fc from 'fast-check';

/**
 * fast-check parameters that make every run reproducible from CI output:
 * the seed is `FC_SEED` when set, else a fresh random one, and a failure
 * throws fast-check's own report (counterexample, seed, path) plus the line
 * to replay it: `FC_SEED=<seed> FC_PATH=<path>` (`FC_PATH` replays just the
 * shrunk counterexample; run the one test with `-t`). `FC_RUNS` overrides
 * `numRuns`, for a longer local hunt.
 */
export function fcParameters<Ts>(numRuns: number, env: NodeJS.ProcessEnv = process.env): fc.Parameters<Ts> {
  const seed = env.FC_SEED === undefined ? randomSeed() : Number(env.FC_SEED);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${env.FC_SEED}`);
  const runs = env.FC_RUNS === undefined ? numRuns : Number(env.FC_RUNS);
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new Error(`FC_RUNS must be an integer from 1 and up, got ${env.FC_RUNS}`);
  }
  return {
    numRuns: runs,
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

/** A 32-bit seed, as fast-check draws its own. */
const randomSeed = (): number => (Math.random() * 2 ** 32) | 0;
