/**
 * Something recovered from: returned on results (`warnings[]`), never
 * thrown, never printed by a library. Counted once per kind, as hls.js does:
 * the first occurrence's message is kept and `count` says how many there were.
 */
export interface RecWarning<Code extends string = string> {
  /** Stable kind, unique across packages (e.g. `TS_CONTINUITY`, `WAV_TRUNCATED`). */
  code: Code;
  message: string;
  count: number;
  /** The file, key or segment of the first occurrence, when there is one. */
  source?: string;
}

/** Collects warnings, one entry per code; `onWarning` hears each kind the first time. */
export class WarningLog<Code extends string = string> {
  readonly #byCode = new Map<Code, RecWarning<Code>>();
  readonly #onWarning: ((warning: RecWarning<Code>) => void) | undefined;

  constructor(onWarning?: (warning: RecWarning<Code>) => void) {
    this.#onWarning = onWarning;
  }

  /** Records `count` occurrences of `code`; returns whether it was the first of its kind. */
  add(code: Code, message: string, options: { count?: number; source?: string | undefined } = {}): boolean {
    const count = options.count ?? 1;
    const known = this.#byCode.get(code);
    if (known) {
      known.count += count;
      return false;
    }
    const warning: RecWarning<Code> = { code, message, count };
    if (options.source !== undefined) warning.source = options.source;
    this.#byCode.set(code, warning);
    this.#onWarning?.({ ...warning });
    return true;
  }

  /** Adds warnings reported by another stage, keeping their counts. */
  merge(warnings: Iterable<RecWarning<Code>>): void {
    for (const { code, message, count, source } of warnings) this.add(code, message, { count, source });
  }

  get size(): number {
    return this.#byCode.size;
  }

  /** Copies, in the order the kinds first appeared. */
  list(): RecWarning<Code>[] {
    return [...this.#byCode.values()].map((warning) => ({ ...warning }));
  }
}
