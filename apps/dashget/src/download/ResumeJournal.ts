import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** What identifies the version of a resource a `.part` file holds the first bytes of. */
export interface ResumeEntry {
  url: string;
  etag?: string;
  lastModified?: string;
  /** The resource's full length (Content-Range total, or Content-Length of a 200). */
  length?: number;
}

/** The journal's file, in the output directory. */
export const JOURNAL_NAME = '.dashget-resume.jsonl';

/**
 * The validators of the `.part` files of a download, so that a later run
 * can continue them with `Range` + `If-Range` (RFC 9110 13.1.5) instead of
 * fetching them again. One JSON line per file, appended when its response
 * starts, before its first byte is written: a `.part` whose line is missing
 * (a kill in between) is started again, never continued blindly. One
 * descriptor for the whole run, not a file per segment, each line one
 * synchronous `write(2)` in append mode: on disk (in the page cache) before
 * the part's first byte, where an append stream kept it in memory for a
 * while, and without a thread-pool round trip per segment. Removed once a
 * run leaves no part behind.
 */
export class ResumeJournal {
  readonly #path: string;
  readonly #entries: Map<string, ResumeEntry>;
  #fd: number | undefined;

  private constructor(path: string, entries: Map<string, ResumeEntry>) {
    this.#path = path;
    this.#entries = entries;
  }

  static async open(outputDir: string): Promise<ResumeJournal> {
    const path = join(outputDir, JOURNAL_NAME);
    const entries = new Map<string, ResumeEntry>();
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      try {
        const { localPath, ...entry } = JSON.parse(line) as ResumeEntry & { localPath: string };
        if (typeof localPath === 'string' && typeof entry.url === 'string') entries.set(localPath, entry);
      } catch {
        // A line cut by a kill: that part is started again.
      }
    }
    return new ResumeJournal(path, entries);
  }

  get(localPath: string): ResumeEntry | undefined {
    return this.#entries.get(localPath);
  }

  record(localPath: string, entry: ResumeEntry): void {
    this.#entries.set(localPath, entry);
    this.#fd ??= openSync(this.#path, 'a');
    writeSync(this.#fd, `${JSON.stringify({ localPath, ...entry })}\n`);
  }

  async close(): Promise<void> {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  /** Closes and deletes the journal (no part is left to continue). */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.#path, { force: true });
  }
}
