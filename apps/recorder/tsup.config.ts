import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

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
  noExternal: ['@rec/cli'],
  dts: { compilerOptions: { paths: { '@rec/cli': [cli] } } },
  sourcemap: true,
  clean: true,
});
