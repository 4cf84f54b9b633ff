import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError, CliErrorCode } from '@rec/cli';
import { Mp4DumpError, Mp4DumpErrorCode } from '../Mp4DumpError.js';

export interface ManifestLocation {
  /** The MPD file. */
  path: string;
  /** Its directory: segments are looked up, and `.dump`/`.mp4` files written, there. */
  dir: string;
}

/**
 * The MPD of a DASH directory: `target` is the MPD itself, or a directory
 * holding exactly one `*.mpd` (several are an error that lists them: name
 * one with `-d DIR/name.mpd`).
 */
export async function findManifest(target: string): Promise<ManifestLocation> {
  const info = await stat(target).catch((error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'no such file or directory' : (error.code ?? error.message);
    throw new CliError(CliErrorCode.BadArguments, `${target}: ${reason}`, { cause: error });
  });
  if (!info.isDirectory()) return { path: target, dir: dirname(target) };
  const entries = await readdir(target, { withFileTypes: true });
  const manifests = entries
    .filter((entry) => !entry.isDirectory() && /\.mpd$/i.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const [only, ...others] = manifests;
  if (only === undefined) {
    throw new Mp4DumpError(
      Mp4DumpErrorCode.NoManifest,
      `no .mpd file in ${target} (give MP4 files to dump, or -d DIR with a DASH download)`,
      { file: target },
    );
  }
  if (others.length > 0) {
    throw new Mp4DumpError(
      Mp4DumpErrorCode.SeveralManifests,
      `${manifests.length} .mpd files in ${target} (${manifests.join(', ')}): name one with -d ${join(target, only)}`,
      { file: target },
    );
  }
  return { path: join(target, basename(only)), dir: target };
}
