/** The five entities XML predefines (XML 1.0 section 4.6); nothing else is ever expanded. */
const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

const reference = /&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][A-Za-z0-9_.:-]*)?(;)?/g;

export interface EntityProblems {
  /** A bare `&` (no name, or no `;`): kept literally. */
  bareAmpersand(): void;
  /** `&name;` with a name XML does not predefine. */
  unknownEntity(name: string): never;
}

/**
 * Replaces the predefined entities and character references, in one pass
 * with no recursion: the output is never longer than the input, so no
 * manifest can expand (no "billion laughs"). DOCTYPE-declared entities are
 * never expanded; `unknownEntity` decides what a reference to one means.
 */
export function decodeEntities(text: string, problems: EntityProblems): string {
  if (!text.includes('&')) return text;
  return text.replace(reference, (match, name: string | undefined, semicolon: string | undefined) => {
    if (name === undefined || semicolon === undefined) {
      problems.bareAmpersand();
      return match;
    }
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      // XML 1.0 production [2] Char: a reference to anything else is not well-formed.
      const isChar =
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      return isChar ? String.fromCodePoint(code) : problems.unknownEntity(name);
    }
    return predefined[name] ?? problems.unknownEntity(name);
  });
}
