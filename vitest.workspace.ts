/**
 * The test projects: one per workspace member, each running its own `test/`.
 * Vitest 4 reads projects from `vitest.config.ts`, which imports this list so
 * that this file stays the one place that names them.
 */
export const projects = [
  'packages/core',
  'packages/cli',
  'packages/fmp4-boxes',
  'packages/mpd',
  'packages/es-ts',
  'packages/s3-segments',
  'packages/mux',
  'apps/recorder',
  'apps/dashget',
  'apps/mp4dump',
  'test/support',
  'test/conventions',
  'test/packaging',
] as const;
