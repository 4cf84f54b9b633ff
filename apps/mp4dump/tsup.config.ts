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
  entry: ['src/index.ts', 'src/cli.ts'],
  format: 'esm',
  target: 'node20',
  // yargs is bundled too, so that its string-width loads only when a width is measured
  // (scripts/build/lazyStringWidth.ts: 30 ms and 2.5 MB less on every run).
  noExternal: ['@rec/cli', 'yargs'],
  esbuildPlugins: [lazyStringWidth()],
  dts: { compilerOptions: { paths: { '@rec/cli': [cli] } } },
  sourcemap: true,
  clean: true,
});
