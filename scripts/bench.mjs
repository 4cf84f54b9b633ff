#!/usr/bin/env node
// `pnpm bench <name>` runs bench/<name>.{ts,mjs,js,sh}. Each benchmark ends
// with one line `<name>: <figures> ratio=<ours/reference>`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('../bench/', import.meta.url));
const available = readdirSync(benchDir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && /\.(ts|mjs|js|sh)$/.test(entry.name))
  .map((entry) => entry.name);
const [name, ...args] = process.argv.slice(2);
const names = [...new Set(available.map((file) => file.replace(/\.[^.]+$/, '')))].sort();
if (!name) {
  console.error(`usage: pnpm bench <name> [args...]\navailable: ${names.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const file = available.find((candidate) => candidate.replace(/\.[^.]+$/, '') === name);
if (!file) {
  console.error(`no benchmark named "${name}" in bench/; available: ${names.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const path = `${benchDir}${file}`;
const command = file.endsWith('.sh')
  ? ['bash', [path, ...args]]
  : file.endsWith('.ts')
    ? [process.execPath, ['--conditions=@rec/source', '--import', 'tsx', path, ...args]]
    : [process.execPath, ['--conditions=@rec/source', path, ...args]];
const result = spawnSync(command[0], command[1], { stdio: 'inherit' });
process.exit(result.status ?? 1);
