import { mkdir, readdir } from 'node:fs/promises';

/**
 * The names in each directory of the output, read once per directory (a
 * directory created when missing): whether a file or its `.part` exists is
 * a set lookup, not a `stat` per segment, and a fresh download of 450
 * segments into 3 folders costs 3 `readdir`s.
 */
export class ExistingFiles {
  readonly #byDirectory = new Map<string, Promise<ReadonlySet<string>>>();

  names(directory: string): Promise<ReadonlySet<string>> {
    let names = this.#byDirectory.get(directory);
    if (names === undefined) {
      names = readdir(directory).then(
        (entries) => new Set(entries),
        async (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          await mkdir(directory, { recursive: true });
          return new Set<string>();
        },
      );
      this.#byDirectory.set(directory, names);
    }
    return names;
  }
}
