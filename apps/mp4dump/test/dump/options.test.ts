/**
 * dumpSource's options and edge cases: offsets, --path, aborts and
 * back-pressure, bad option values, and the values Bento4 prints wrongly
 * (DIFFERENCES.md): uuid names, non-ASCII types, largesize headers.
 */
import { readFile } from 'node:fs/promises';
import { bytesSource } from '@rec/core';
import { parseBoxes } from '@rec/fmp4-boxes';
import { describe, expect, it } from 'vitest';
import { type DumpOptions, dumpSource } from '../../src/dump/index.js';
import { DEFAULTS, dumpFile, fixturePath } from './helpers/fixtures.js';

async function dumpBytes(bytes: Uint8Array, options: Partial<DumpOptions> = {}) {
  let text = '';
  const result = await dumpSource(
    bytesSource(bytes),
    (chunk) => {
      text += chunk;
    },
    { ...DEFAULTS, ...options },
  );
  return { ...result, text };
}

/** A box: size(32) type(32) body. */
function box(type: string, ...body: Uint8Array[]): Uint8Array {
  const size = 8 + body.reduce((total, part) => total + part.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  let at = 8;
  for (const part of body) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
const concat = (...parts: Uint8Array[]) => box('xxxx', ...parts).subarray(8);
const hex = (text: string) => Uint8Array.from(text.match(/../g)!.map((b) => Number.parseInt(b, 16)));

describe('offsets', () => {
  it('text: `[type] @ decimal (0xhex)` on every header line; JSON: an "offset" member', async () => {
    const { text } = await dumpFile(fixturePath('06-dash_seg-0-00001.m4s'), { offsets: true });
    // styp (24 bytes) and sidx (52) come first.
    expect(text).toMatch(/^\[styp\] @ 0 \(0x0\) size=8\+16\n/);
    expect(text).toContain('\n[sidx] @ 24 (0x18) size=12+40, version=1\n');
    expect(text).toContain('\n[moof] @ 76 (0x4c) size=8+296\n  [mfhd] @ 84 (0x54) size=12+4\n');
    const json = await dumpFile(fixturePath('06-dash_seg-0-00001.m4s'), { offsets: true, format: 'json' });
    expect(JSON.parse(json.text).map((b: { offset: number }) => b.offset)).toEqual([0, 24, 76, 380]);
  });
});

describe('path', () => {
  it('dumps every box at the path with its subtree, from the left margin', async () => {
    const { text, boxes } = await dumpFile(fixturePath('01-progressive-moov-at-end.mp4'), {
      path: 'moov/trak/tkhd',
      bento4: true,
    });
    expect(boxes).toBe(2);
    expect(text.match(/^\[tkhd\] size=12\+80, flags=3$/gm)).toHaveLength(2);
    expect(text).toContain('  id = 1\n');
    expect(text).toContain('  id = 2\n');
  });

  it('takes an index among same-type siblings, and matches in every top-level box', async () => {
    const second = await dumpFile(fixturePath('01-progressive-moov-at-end.mp4'), {
      path: 'moov/trak[1]/tkhd',
    });
    expect(second.text).toContain('  id = 2\n');
    expect(second.text).not.toContain('  id = 1\n');
    const truns = await dumpFile(fixturePath('03-fragmented.mp4'), {
      path: 'moof/traf/trun',
      format: 'json',
    });
    const parsed = JSON.parse(truns.text) as { name: string }[];
    expect(parsed.length).toBeGreaterThan(2);
    expect(new Set(parsed.map((b) => b.name))).toEqual(new Set(['trun']));
    const stsd = await dumpFile(fixturePath('11-opus.mp4'), { path: 'moov/trak/mdia/minf/stbl/stsd' });
    expect(stsd.text).toMatch(/^\[stsd\] size=12\+79\n {2}entry_count = 1\n {2}\[Opus\] size=8\+67\n/);
  });

  it('rejects a path that is no box path with a TypeError', async () => {
    await expect(dumpFile(fixturePath('11-opus.mp4'), { path: 'moov//toolong' })).rejects.toThrow(TypeError);
  });
});

describe('writes and aborts', () => {
  it('awaits each write before the next (back-pressure) and writes top-level box by box', async () => {
    const source = await readFile(fixturePath('03-fragmented.mp4'));
    let pending = 0;
    let writes = 0;
    await dumpSource(
      bytesSource(source),
      async () => {
        expect(pending).toBe(0);
        pending++;
        writes++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        pending--;
      },
      { ...DEFAULTS, verbosity: 2 },
    );
    expect(writes).toBeGreaterThan(10);
  });

  it('writes a large table in flat chunks of about 64 Ki characters, not one string', async () => {
    const count = 100_000;
    const stsz = new Uint8Array(20 + count * 4);
    const view = new DataView(stsz.buffer);
    view.setUint32(0, stsz.length); // size
    stsz.set([0x73, 0x74, 0x73, 0x7a], 4); // 'stsz', then version 0, flags 0
    view.setUint32(12, 0); // sample_size
    view.setUint32(16, count); // sample_count
    for (let i = 0; i < count; i++) view.setUint32(20 + i * 4, 1000 + (i % 7)); // entry_size
    const chunks: string[] = [];
    await dumpSource(bytesSource(stsz), (chunk) => void chunks.push(chunk), { ...DEFAULTS, verbosity: 2 });
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(64 * 1024 + 100);
    const lines = chunks.join('').split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '[stsz] size=12+400008',
      '  sample_size = 0',
      '  sample_count = 100000',
      '  entries:',
    ]);
    expect(lines.at(-2)).toBe(`    (   99999) ${1000 + (99999 % 7)}`);
    expect(lines).toHaveLength(count + 5);
  });

  it('rejects with the signal reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const bytes = new Uint8Array(await readFile(fixturePath('03-fragmented.mp4')));
    const run = dumpSource(bytesSource(bytes), () => controller.abort(reason), {
      ...DEFAULTS,
      signal: controller.signal,
    });
    await expect(run).rejects.toBe(reason);
  });

  it('rejects bad option values with TypeErrors', async () => {
    const bytes = new Uint8Array(8);
    await expect(dumpBytes(bytes, { verbosity: 4 as 3 })).rejects.toThrow(TypeError);
    await expect(dumpBytes(bytes, { format: 'xml' as 'text' })).rejects.toThrow(TypeError);
  });
});

describe('what Bento4 prints wrongly, printed right in both modes', () => {
  it('uuid names in the 8-4-4-4-12 form, `©` as itself', async () => {
    const file = concat(
      box('uuid', hex('00112233445566778899aabbccddeeff'), hex('01020304')),
      box('\xa9xyz'),
    );
    for (const bento4 of [true, false]) {
      const { text } = await dumpBytes(file, { bento4 });
      expect(text).toBe('[00112233-4455-6677-8899-AABBCCDDEEFF] size=24+4\n[©xyz] size=8+0\n');
    }
  });

  it('tkhd layer and alternate_group: signed (int(16)) in the default mode, 16-bit unsigned under --bento4 as Bento4 keeps them', async () => {
    // FullBox('tkhd', 0, 1): times, track_ID 1, reserved, duration 0, reserved(8), layer -1,
    // alternate_group -2, volume 0, reserved, the unity matrix, width and height 0.
    const file = box(
      'tkhd',
      hex('00000001'),
      hex(`00000000000000000000000100000000000000000000000000000000ffff${'fffe'}00000000`),
      hex('000100000000000000000000000000000001000000000000000000000000000040000000'),
      hex('0000000000000000'),
    );
    const layerLines = (text: string) => text.split('\n').filter((line) => /layer|alternate/.test(line));
    expect(layerLines((await dumpBytes(file, { verbosity: 1 })).text)).toEqual([
      '  layer = -1',
      '  alternate_group = -2',
    ]);
    expect(layerLines((await dumpBytes(file, { verbosity: 1, bento4: true })).text)).toEqual([
      '  layer = 65535',
      '  alternate_group = 65534',
    ]);
  });

  it('an stsd whose entry_count is under its entries: Bento4 reads entry_count of them (--bento4), the default mode all', async () => {
    // FullBox('stsd', 0, 0) with entry_count 1 and two 16-byte sample entries (reserved, data_reference_index).
    const entry = (type: string) => box(type, hex('000000000000'), hex('0001'));
    const file = box('stsd', hex('00000000'), hex('00000001'), entry('abcd'), entry('wxyz'));
    expect((await dumpBytes(file, { bento4: true })).text).toBe(
      '[stsd] size=12+36\n  entry_count = 1\n  [abcd] size=8+8\n    data_reference_index = 1\n',
    );
    expect((await dumpBytes(file)).text).toBe(
      '[stsd] size=12+36\n  entry_count = 1\n  [abcd] size=8+8\n    data_reference_index = 1\n  [wxyz] size=8+8\n    data_reference_index = 1\n',
    );
  });

  it('a box Bento4 leaves undecoded (leva): its fields in the default mode, its size only under --bento4', async () => {
    // FullBox('leva', 0, 0): level_count 1, track_ID 1, padding_flag 0 + assignment_type 2 (by track).
    const file = box('leva', hex('00000000'), hex('01'), hex('00000001'), hex('02'));
    expect((await dumpBytes(file)).text).toBe(
      '[leva] size=12+6\n  level_count = 1\n  levels:\n    (       0) track_ID = 1, padding_flag = 0, assignment_type = 2\n',
    );
    expect((await dumpBytes(file, { bento4: true })).text).toBe('[leva] size=8+10\n');
  });

  it('an unknown box shows its first bytes at verbosity 2 in the default mode only', async () => {
    const file = box('abcd', hex('0102030405'));
    expect((await dumpBytes(file, { verbosity: 2 })).text).toBe(
      '[abcd] size=8+5\n  bytes = [01 02 03 04 05]\n',
    );
    expect((await dumpBytes(file, { verbosity: 2, bento4: true })).text).toBe('[abcd] size=8+5\n');
    expect((await dumpBytes(file, { verbosity: 1 })).text).toBe('[abcd] size=8+5\n');
  });

  it('64-bit values above 2^53 print exactly, as Bento4 prints its 64-bit integers (co64, tfdt, saio)', async () => {
    const bytes = concat(
      hex('00000020636f363400000000'), // co64: size, type, version 0, flags 0
      hex('00000002'), // entry_count
      hex('0020000000000001'), // chunk_offset 2^53 + 1
      hex('ffffffffffffffff'), // chunk_offset 2^64 - 1
      hex('000000147466647401000000'), // tfdt, version 1
      hex('0020000000000003'), // baseMediaDecodeTime 2^53 + 3
      hex('000000187361696f01000000'), // saio, version 1, flags 0
      hex('00000001'), // entry_count
      hex('0020000000000005'), // offset 2^53 + 5
    );
    const { text } = await dumpBytes(bytes, { verbosity: 2 });
    expect(text).toBe(
      [
        '[co64] size=12+20',
        '  entry_count = 2',
        '  entries:',
        '    (       0) 9007199254740993',
        '    (       1) 18446744073709551615',
        '[tfdt] size=12+8, version=1',
        '  base media decode time = 9007199254740995',
        '[saio] size=12+12, version=1',
        '  entry_count = 1',
        '  entries:',
        '    (       0) 9007199254740997',
        '',
      ].join('\n'),
    );
    const json = await dumpBytes(bytes, { verbosity: 2, format: 'json' });
    expect(json.text).toContain('"entries": [\n      9007199254740993,\n      18446744073709551615\n    ]');
    expect(json.text).toContain('"base media decode time": 9007199254740995');
  });

  it('a moov with a 64-bit largesize header dumps whole (Bento4 prints nothing)', async () => {
    const init = new Uint8Array(await readFile(fixturePath('06-dash_init-0.m4s')));
    const moov = parseBoxes(init, { maxDepth: 0, decoders: [] }).find((box) => box.type === 'moov');
    if (!moov) throw new Error('06-dash_init-0.m4s has no moov');
    const { offset: moovAt, size: moovSize } = moov;
    const large = new Uint8Array(init.length + 8);
    large.set(init.subarray(0, moovAt));
    const l = new DataView(large.buffer);
    l.setUint32(moovAt, 1); // size 1: a largesize follows
    large.set(init.subarray(moovAt + 4, moovAt + 8), moovAt + 4); // 'moov'
    l.setBigUint64(moovAt + 8, BigInt(moovSize + 8)); // largesize
    large.set(init.subarray(moovAt + 8), moovAt + 16);
    const normal = await dumpBytes(init, { bento4: true, verbosity: 2 });
    const got = await dumpBytes(large, { bento4: true, verbosity: 2 });
    expect(got.error).toBeUndefined();
    expect(got.text).toBe(
      normal.text.replace(`[moov] size=8+${moovSize - 8}`, `[moov] size=16+${moovSize - 8}`),
    );
  });

  it('a cut moov: its complete children in the default mode, left out under --bento4, the error either way', async () => {
    const bytes = new Uint8Array(await readFile(fixturePath('06-dash_init-0.m4s')));
    const cut = bytes.subarray(0, 600);
    const all = await dumpBytes(cut);
    expect(all.error).toMatchObject({ code: 'BOX_TRUNCATED' });
    expect(all.text).toContain('[moov] size=8+');
    expect(all.text).toContain('  [mvhd] size=12+96\n');
    const bento4 = await dumpBytes(cut, { bento4: true, format: 'json' });
    expect(bento4.error).toMatchObject({ code: 'BOX_TRUNCATED' });
    expect(JSON.parse(bento4.text).map((b: { name: string }) => b.name)).toEqual(['ftyp']);
  });
});
