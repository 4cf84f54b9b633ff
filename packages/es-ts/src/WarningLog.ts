import type { EsWarning } from './types.js';

/** Collects recoverable problems, one entry per code with a count (the first message is kept). */
export class WarningLog {
  readonly #byCode = new Map<string, EsWarning>();
  readonly #onWarning: ((warning: EsWarning) => void) | undefined;

  constructor(onWarning?: (warning: EsWarning) => void) {
    this.#onWarning = onWarning;
  }

  add(code: string, message: string, count = 1): void {
    const known = this.#byCode.get(code);
    if (known) known.count += count;
    else {
      const warning = { code, message, count };
      this.#byCode.set(code, warning);
      this.#onWarning?.({ ...warning });
    }
  }

  list(): EsWarning[] {
    return [...this.#byCode.values()].map((w) => ({ ...w }));
  }
}
