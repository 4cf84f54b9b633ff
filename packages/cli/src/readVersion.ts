import { readFileSync } from 'node:fs';

/**
 * The `version` of an app's package.json, given as a URL relative to the
 * module (`new URL('../package.json', import.meta.url)`): the same path
 * from `src/cli.ts` in the repository and from `dist/cli.js` once built.
 */
export function readVersion(packageJson: URL): string {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${packageJson.pathname} has no version`);
  return version;
}
