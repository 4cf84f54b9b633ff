import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { lazyStringWidth } from '../../scripts/build/lazyStringWidth.js';

// @rec/cli (runCli, the option table, the progress reporter) is private to the
// repository: it is bundled into the app, code and types, and is no dependency
// of the published package. Its types are found through `paths`, as a source
// file of this build: TypeScript never emits declarations for a package it
// reaches through node_modules.
const cli = fileURLToPath(new URL('../../packages/cli/src/index.ts', import.meta.url));

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: 'esm',
    target: 'node20',
    noExternal: ['@rec/cli'],
    dts: { compilerOptions: { paths: { '@rec/cli': [cli] } } },
    sourcemap: true,
    // The CLI below is another build writing into the same folder.
    clean: ['!cli.js', '!cli.js.map'],
  },
  {
    // The command is one file with every dependency in it: loading got, yargs and @rec/mpd as
    // some 300 modules (resolved, read and linked one by one) took 0.3 s of the bench's 1.5 s;
    // one bundle loads in about a third of that. The library entry keeps its dependencies
    // external (one copy of each class for `instanceof`, deduplicated by the user's installer).
    entry: ['src/cli.ts'],
    format: 'esm',
    target: 'node20',
    noExternal: [/.*/],
    // yargs' string-width loads when a width is measured (--help), not at start-up
    // (scripts/build/lazyStringWidth.ts): `dashget --version` 805 M instructions instead of
    // 1,090 M (callgrind), 172 ms of CPU instead of 225 (2026-12-02, load average 5).
    esbuildPlugins: [lazyStringWidth()],
    // The workspace packages from their sources, as the tests run them: the bundle never
    // depends on whether their dist/ was built before this one.
    esbuildOptions(options) {
      options.conditions = ['@rec/source'];
    },
    // CommonJS dependencies inside an ES module bundle call `require` for Node's built-ins.
    banner: {
      js: "import { createRequire as __recRequire } from 'node:module';\nconst require = __recRequire(import.meta.url);",
    },
    sourcemap: true,
    clean: false,
  },
]);
