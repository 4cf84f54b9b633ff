import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { lazyStringWidth } from '../../scripts/build/lazyStringWidth.js';

// @rec/cli (runCli, the option table, the progress reporter) is private to the
// repository: it is bundled into the app, code and types, and is no dependency
// of the published package. Its types are found through `paths`, as a source
// file of this build: TypeScript never emits declarations for a package it
// reaches through node_modules.
const cli = fileURLToPath(new URL('../../packages/cli/src/index.ts', import.meta.url));

export default defineConfig({
  // The recording process: the child each job worker runs its recordings in (off the worker's event loop).
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', recordingProcess: 'src/jobs/recordingProcess.ts' },
  format: 'esm',
  target: 'node20',
  // yargs is bundled too, so that its string-width loads when a width is measured (--help), not
  // at start-up (scripts/build/lazyStringWidth.ts): `recorder --version` 320 M instructions less
  // (callgrind: 2,647 M instead of 2,966 M for a test build of cli.js with the workspace packages
  // inlined), 280 ms of CPU less (2026-12-02, load average 5).
  noExternal: ['@rec/cli', 'yargs'],
  esbuildPlugins: [lazyStringWidth()],
  dts: { compilerOptions: { paths: { '@rec/cli': [cli] } } },
  sourcemap: true,
  clean: true,
});
