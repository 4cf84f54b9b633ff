#!/usr/bin/env node
// The second half of `pnpm test`: users run rec with their own ffmpeg (5.x-7.x on
// PATH) or with the static one npm installs, and the suite must hold with both.
// The first `vitest run` used whichever rec resolves by default (PATH first); this
// re-runs the projects that call ffmpeg with the other one, and says which were used.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const projects = ['es-ts', 'mux', 'recorder', 'support'];

const requireFromMux = createRequire(join(root, 'packages/mux/package.json'));
const bundled = {
  ffmpeg: requireFromMux('@ffmpeg-installer/ffmpeg').path,
  ffprobe: requireFromMux('@ffprobe-installer/ffprobe').path,
};
const onPath = (name) =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((candidate) => existsSync(candidate));
const version = (binary) => execFileSync(binary, ['-version'], { encoding: 'utf8' }).split('\n')[0];

const first = {
  ffmpeg: process.env.FFMPEG_PATH || onPath('ffmpeg') || bundled.ffmpeg,
  ffprobe: process.env.FFPROBE_PATH || onPath('ffprobe') || bundled.ffprobe,
};
// The other run: the bundled build if the first used a system one, else the system one if there is one.
const other =
  first.ffmpeg === bundled.ffmpeg ? { ffmpeg: onPath('ffmpeg'), ffprobe: onPath('ffprobe') } : bundled;
console.log(`test: the first run used ${first.ffmpeg} (${version(first.ffmpeg)})`);
if (!other.ffmpeg || !other.ffprobe || other.ffmpeg === first.ffmpeg) {
  console.log(
    'test: no second ffmpeg to run against (install one on PATH, e.g. apt-get install ffmpeg, to test both)',
  );
  process.exit(0);
}
console.log(`test: again with ${other.ffmpeg} (${version(other.ffmpeg)}): ${projects.join(', ')}`);
const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...projects.flatMap((name) => ['--project', name])],
  {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, FFMPEG_PATH: other.ffmpeg, FFPROBE_PATH: other.ffprobe },
  },
);
process.exit(result.status ?? 1);
