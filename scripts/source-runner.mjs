// Runs a CLI from its TypeScript sources, for use inside this repository only:
// published packages point their `bin` at the built `dist/cli.js` instead
// (see `publishConfig` in each app's package.json).
import { register } from 'node:module';

/** @param {URL} entry the app's `src/cli.ts` */
export async function runFromSource(entry) {
  // Workspace packages expose `src/` under the `@rec/source` export condition.
  register('./source-conditions.mjs', import.meta.url);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  await import(entry.href);
}
