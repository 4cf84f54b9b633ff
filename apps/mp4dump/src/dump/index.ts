import type { ByteSource } from '@rec/core';
import { expectInteger, expectOneOf } from '@rec/core';
import { type Box, BoxParseError, readBoxes } from '@rec/fmp4-boxes';
import type { Inspector } from './inspect/Inspector.js';
import { type InspectSettings, inspectBox, UNKNOWN_BYTES_SHOWN, wantsBody } from './inspectBox.js';
import { JsonInspector } from './json/JsonInspector.js';
import { parsePathPattern, visitMatches } from './selectPath.js';
import { TextInspector } from './text/TextInspector.js';

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
  /** Set when the source is damaged: the first of `errors`. */
  error?: BoxParseError;
  /** Every damaged box, in file order (the dump went on past those it could step over). */
  errors: BoxParseError[];
}

/**
 * Writes the dump of one source through `write` (awaited, so a slow stdout
 * applies back-pressure). Never loads an mdat; memory stays bounded whatever
 * the file size: each top-level box is read with its subtree, written, and
 * dropped. BoxParseErrors are returned in the result after dumping every
 * valid box, never thrown; aborts reject with `signal.reason`. As Bento4,
 * the dump goes on past a damaged box inside a complete parent: a box whose
 * fields cannot be read shows its header only, a child that does not fit
 * its parent ends that parent's children (see `onInvalidBox`).
 *
 * A top-level box the file cuts short (BOX_TRUNCATED) is written with the
 * children it has, except under `bento4`, where it is left out as Bento4
 * leaves it out (Bento4 skips a box larger than what is left of the file).
 */
export async function dumpSource(
  source: ByteSource,
  write: (text: string) => void | Promise<void>,
  options: DumpOptions,
): Promise<DumpResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const verbosity = expectInteger('verbosity', options.verbosity, 0, 3);
  const format = expectOneOf('format', options.format, ['text', 'json'] as const);
  const pattern = options.path === undefined ? undefined : parsePathPattern(options.path);
  const settings = {
    verbosity: Math.min(verbosity, 2),
    all: !options.bento4,
    offsets: options.offsets === true,
  };
  const json = format === 'json' ? new JsonInspector(settings) : undefined;
  const out: Inspector = json ?? new TextInspector(settings);
  const bento4 = options.bento4 === true;

  let boxes = 0;
  // Awaits only what is a promise: a fragmented file has thousands of top-level boxes, most with
  // no body to fetch, and a write that only buffers returns nothing.
  const flush = async (top: Box) => {
    const wanted = wantedBodies(top, out);
    const bodies = wanted.length === 0 ? undefined : await readBodies(source, wanted, signal);
    const inspect: InspectSettings = { bento4, bodies };
    if (pattern === undefined) boxes += inspectBox(top, [], out, inspect);
    else visitMatches(top, pattern, (box, ancestors) => (boxes += inspectBox(box, ancestors, out, inspect)));
    const chunks = out.take();
    for (let i = 0; i < chunks.length; i++) {
      const written = write(chunks[i]!);
      if (written !== undefined) await written;
    }
  };

  json?.open();
  let current: Box | undefined;
  let error: BoxParseError | undefined;
  const errors: BoxParseError[] = [];
  const onInvalidBox = (invalid: BoxParseError) => errors.push(invalid);
  try {
    for await (const box of readBoxes(source, { signal, topLevelOnly: true, onInvalidBox })) {
      if (current) await flush(current);
      current = box;
    }
  } catch (caught) {
    if (!(caught instanceof BoxParseError)) throw caught;
    error = caught;
    errors.push(caught);
  }
  if (current) {
    const cut =
      error?.code === 'BOX_TRUNCATED' &&
      error.offset >= current.offset &&
      error.offset < current.offset + current.size;
    if (!(cut && bento4)) await flush(current);
  }
  json?.close();
  for (const chunk of out.take()) await write(chunk);
  const first = errors[0];
  return first === undefined ? { boxes, errors } : { boxes, error: first, errors };
}

/** The boxes under `top` whose first body bytes `wantsBody` (unknown boxes). */
function wantedBodies(top: Box, out: Inspector): Box[] {
  const wanted: Box[] = [];
  const ancestors: Box[] = [];
  const collect = (box: Box) => {
    if (wantsBody(box, ancestors, out)) wanted.push(box);
    if (!box.children) return;
    ancestors.push(box);
    const children = box.children;
    for (let i = 0; i < children.length; i++) collect(children[i]!);
    ancestors.pop();
  };
  collect(top);
  return wanted;
}

/** The first body bytes of `boxes`, read from the source. */
async function readBodies(
  source: ByteSource,
  boxes: readonly Box[],
  signal: AbortSignal | undefined,
): Promise<Map<Box, Uint8Array>> {
  const bodies = new Map<Box, Uint8Array>();
  for (const box of boxes) {
    const start = box.offset + box.headerSize;
    const end = Math.min(box.offset + box.size, start + UNKNOWN_BYTES_SHOWN);
    bodies.set(box, (await source.read(start, end, signal)).slice());
  }
  return bodies;
}
