/** How a value shows in an option error: `` `0` (number)``, `` `"x"` (string)``, `` `undefined` ``. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return `\`${String(value)}\``;
  const type = Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  if (typeof value === 'string')
    shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  else if (typeof value === 'bigint') shown = `${value}n`;
  else if (typeof value === 'number' || typeof value === 'boolean') shown = String(value);
  else if (value instanceof Date)
    shown = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (typeof value === 'function') shown = value.name || 'function';
  else shown = Object.prototype.toString.call(value);
  return `\`${shown}\` (${type})`;
}

/**
 * The one format of option errors, as p-queue and mediabunny word them:
 * ``Expected `concurrency` to be an integer from 1 and up, got `0` (number)``.
 * A caller's mistake, not bad media: a `TypeError`, never a package error.
 */
export function invalidOption(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`);
}

/** Checks an integer option in [min, max]; returns it. */
export function expectInteger(name: string, value: unknown, min: number, max?: number): number {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < min ||
    (max !== undefined && value > max)
  ) {
    throw invalidOption(name, `an integer ${rangeText(min, max)}`, value);
  }
  return value;
}

/** Checks a finite number option in [min, max]; returns it. */
export function expectNumber(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidOption(
      name,
      `a finite number${Number.isFinite(min) || Number.isFinite(max) ? ` ${rangeText(min, max)}` : ''}`,
      value,
    );
  }
  return value;
}

/** Checks that an option is one of `choices`; returns it. */
export function expectOneOf<const T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw invalidOption(name, `one of ${choices.map((choice) => `\`${choice}\``).join(', ')}`, value);
  }
  return value as T;
}

function rangeText(min: number, max: number | undefined): string {
  if (max === undefined || max === Infinity) return `from ${min} and up`;
  if (min === -Infinity) return `up to ${max}`;
  return `from ${min} to ${max}`;
}
