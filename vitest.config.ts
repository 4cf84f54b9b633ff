import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.js';

// Workspace packages resolve to their `src/` through the `@rec/source` export
// condition, so tests never need a build. Vite's default `module` condition is
// left out: Node loads dependencies, and it must pick their Node builds.
const conditions = ['@rec/source', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@rec/source'] } },
  test: {
    projects: projects.map((root) => ({
      extends: true,
      test: { name: root.split('/')[1], root, include: ['test/**/*.test.ts'] },
    })),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
