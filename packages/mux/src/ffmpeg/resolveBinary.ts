import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { MuxError, MuxErrorCode } from '../MuxError.js';

export type BinaryName = 'ffmpeg' | 'ffprobe';

/** Where a resolved binary came from, in the order they are tried. */
export const BinarySource = {
  Option: 'option',
  Env: 'env',
  Path: 'path',
  Package: 'package',
} as const;
export type BinarySource = (typeof BinarySource)[keyof typeof BinarySource];

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

export interface ResolveBinaryOptions {
  /** An explicit path: wins over everything else. */
  path?: string;
  /** Environment to read `FFMPEG_PATH`/`FFPROBE_PATH` and `PATH` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Whether to fall back to the binary shipped in `@ffmpeg-installer/*` / `@ffprobe-installer/*` (default true). */
  usePackaged?: boolean;
}

const envVariable = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' } as const;
const installerPackage = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
} as const;

/**
 * Finds ffmpeg or ffprobe: explicit option > `FFMPEG_PATH`/`FFPROBE_PATH` >
 * `PATH` > the binary shipped in an npm package. Throws a `MuxError`
 * (`FFMPEG_NOT_FOUND`) naming the four ways to provide one.
 */
export function resolveBinary(name: BinaryName, options: ResolveBinaryOptions = {}): ResolvedBinary {
  const env = options.env ?? process.env;
  if (options.path !== undefined) {
    return {
      path: requireExecutable(name, options.path, `the ${name} path option`),
      source: BinarySource.Option,
    };
  }
  const fromEnv = env[envVariable[name]];
  if (fromEnv) {
    return { path: requireExecutable(name, fromEnv, envVariable[name]), source: BinarySource.Env };
  }
  const onPath = findOnPath(name, env.PATH ?? '');
  if (onPath !== undefined) return { path: onPath, source: BinarySource.Path };
  if (options.usePackaged !== false) {
    const packaged = findPackaged(name);
    if (packaged !== undefined) return { path: packaged, source: BinarySource.Package };
  }
  throw new MuxError(
    MuxErrorCode.FfmpegNotFound,
    `${name} not found. Provide it in one of four ways: pass its path as an option (--${name}), ` +
      `set ${envVariable[name]}, put ${name} on PATH, or install the npm package ${installerPackage[name]}.`,
  );
}

export const resolveFfmpeg = (options?: ResolveBinaryOptions): ResolvedBinary =>
  resolveBinary('ffmpeg', options);
export const resolveFfprobe = (options?: ResolveBinaryOptions): ResolvedBinary =>
  resolveBinary('ffprobe', options);

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function requireExecutable(name: BinaryName, file: string, origin: string): string {
  if (isExecutable(file)) return file;
  throw new MuxError(
    MuxErrorCode.FfmpegNotFound,
    `${name} from ${origin} is not an executable file: ${file}`,
    {
      file,
    },
  );
}

function findOnPath(name: BinaryName, pathList: string): string | undefined {
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const dir of pathList.split(delimiter)) {
    if (!dir) continue;
    for (const candidate of names) {
      const file = join(dir, candidate);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

function findPackaged(name: BinaryName): string | undefined {
  try {
    // The installer packages are CommonJS and throw a string when their
    // platform binary is missing; treat any failure as "not installed".
    const loaded = createRequire(import.meta.url)(installerPackage[name]) as { path?: unknown };
    return typeof loaded.path === 'string' && isExecutable(loaded.path) ? loaded.path : undefined;
  } catch {
    return undefined;
  }
}
