import type { ByteSource } from '@rec/core';
import { type Box, BoxParseError, readBoxes } from '@rec/fmp4-boxes';

/** How `dumpSource` prints. */
export interface DumpOptions {
  /** Bento4's `--verbosity`: 0 no tables, 1 the short tables, 2 every table (3 prints what 2 prints). */
  verbosity: 0 | 1 | 2 | 3;
  format: 'text' | 'json';
  /** true: exactly Bento4's field set; false: everything decoded, in the same layout. */
  bento4: boolean;
  /** text: `[moof] @ 1234567 (0x12d687) size=8+296`; json: an `"offset"` member. */
  offsets: boolean;
  /** Only the boxes at this path (`moov/trak/tkhd`), every match, with their subtrees. */
  path?: string;
  signal?: AbortSignal;
}

export interface DumpResult {
  /** Boxes dumped (all depths). */
  boxes: number;
  /** Set when the source is damaged: everything valid was written first. */
  error?: BoxParseError;
}

/**
 * Writes the dump of one source through `write` (awaited, so a slow stdout
 * applies back-pressure). Never loads an mdat; memory stays bounded whatever
 * the file size (top-level boxes are streamed). A BoxParseError is returned
 * in the result after dumping every valid box, never thrown; aborts reject
 * with `signal.reason`.
 */
export async function dumpSource(
  source: ByteSource,
  write: (text: string) => void | Promise<void>,
  options: DumpOptions,
): Promise<DumpResult> {
  // Provisional: headers only, until the field formatter lands.
  let boxes = 0;
  let error: BoxParseError | undefined;
  try {
    for await (const box of readBoxes(source, { signal: options.signal })) {
      boxes++;
      await write(headerLine(box));
    }
  } catch (caught) {
    if (!(caught instanceof BoxParseError)) throw caught;
    error = caught;
  }
  return { boxes, error };
}

const headerLine = (box: Box) =>
  `${'  '.repeat(box.depth)}[${box.type}] size=${box.headerSize}+${box.size - box.headerSize}\n`;
