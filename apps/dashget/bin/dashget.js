#!/usr/bin/env node
// Repository entry point: runs src/cli.ts; the published package runs dist/cli.js.
import { runFromSource } from '../../../scripts/source-runner.mjs';

await runFromSource(new URL('../src/cli.ts', import.meta.url));
