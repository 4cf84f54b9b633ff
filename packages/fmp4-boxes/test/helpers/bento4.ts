import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The six files ffmpeg made, with what Bento4 1.6.0 printed for each (../shared/fixtures/mp4/README.md). */
export const FIXTURES_DIR = join(import.meta.dirname, '../../../../../shared/fixtures/mp4');
export const fixtures = [
  '01-progressive-moov-at-end.mp4',
  '03-fragmented.mp4',
  '06-dash_init-0.m4s',
  '06-dash_seg-0-00001.m4s',
  '11-opus.mp4',
  '25-truncated.mp4',
] as const;
export type Fixture = (typeof fixtures)[number];
export const fixturePath = (name: Fixture): string => join(FIXTURES_DIR, name);
export const fixtureBytes = (name: Fixture): Uint8Array => new Uint8Array(readFileSync(fixturePath(name)));

/** A box as Bento4's `--format json` prints it: its fields in order, duplicates kept (`compatible_brand` x4). */
export interface Bento4Box {
  name: string;
  headerSize: number;
  size: number;
  fields: [string, unknown][];
  children: Bento4Box[];
}

/** Bento4's JSON dump of `name` at verbosity 2. */
export function bento4Json(name: Fixture): Bento4Box[] {
  const text = readFileSync(`${fixturePath(name)}.bento4.v2.json`, 'utf8');
  return (parseKeepingDuplicates(text) as Entries[]).map(toBox);
}

type Entries = [string, unknown][];

function toBox(entries: Entries): Bento4Box {
  const box: Bento4Box = { name: '', headerSize: 0, size: 0, fields: [], children: [] };
  for (const [key, value] of entries) {
    if (key === 'name') box.name = value as string;
    else if (key === 'header_size') box.headerSize = value as number;
    else if (key === 'size') box.size = value as number;
    else if (key === 'children') box.children = (value as Entries[]).map(toBox);
    else box.fields.push([key, value]);
  }
  return box;
}

/**
 * JSON where objects become entry lists, so that repeated keys survive
 * (`JSON.parse` keeps only the last `compatible_brand`).
 */
function parseKeepingDuplicates(text: string): unknown {
  let at = 0;
  const space = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const value = (): unknown => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const entries: Entries = [];
      space();
      if (text[at] === '}') {
        at++;
        return entries;
      }
      for (;;) {
        space();
        const key = value() as string;
        space();
        if (text[at++] !== ':') throw new Error(`expected : at ${at}`);
        entries.push([key, value()]);
        space();
        const next = text[at++];
        if (next === '}') return entries;
        if (next !== ',') throw new Error(`expected , at ${at}`);
      }
    }
    if (c === '[') {
      at++;
      const items: unknown[] = [];
      space();
      if (text[at] === ']') {
        at++;
        return items;
      }
      for (;;) {
        items.push(value());
        space();
        const next = text[at++];
        if (next === ']') return items;
        if (next !== ',') throw new Error(`expected , at ${at}`);
      }
    }
    const match = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(
      text.slice(at),
    );
    if (!match) throw new Error(`unexpected ${text.slice(at, at + 20)} at ${at}`);
    at += match[0].length;
    return JSON.parse(match[0]);
  };
  return value();
}
