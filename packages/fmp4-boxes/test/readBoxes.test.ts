import { type ByteSource, bytesSource } from '@rec/core';
import { box, bytes, fourcc, fullBox, u8, u16, u32, u64, zeros } from '@rec/test-support';
import { describe, expect, it } from 'vitest';
import { type Box, BoxParseError, defaultDecoders, parseBoxes, readBoxes } from '../src/index.js';

const parseError = (run: () => unknown): BoxParseError => {
  try {
    run();
  } catch (error) {
    if (error instanceof BoxParseError) return error;
    throw error;
  }
  throw new Error('expected a BoxParseError');
};

async function collect(source: ByteSource, options = {}): Promise<{ boxes: Box[]; error?: BoxParseError }> {
  const boxes: Box[] = [];
  try {
    for await (const b of readBoxes(source, options)) boxes.push(b);
    return { boxes };
  } catch (error) {
    if (!(error instanceof BoxParseError)) throw error;
    return { boxes, error };
  }
}

describe('box headers (ISO/IEC 14496-12 4.2.2)', () => {
  it('reads a 64-bit largesize', () => {
    const [free] = parseBoxes(
      bytes(
        u32(1), // size: 1, a largesize follows
        fourcc('free'), // type
        u64(24), // largesize
        zeros(8), // body
      ),
    );
    expect(free).toMatchObject({ type: 'free', offset: 0, size: 24, headerSize: 16 });
  });

  it('takes size 0 as "to the end of the file" at the top level', () => {
    const boxes = parseBoxes(
      bytes(
        box('free'), // an 8-byte box first
        u32(0), // size: 0
        fourcc('mdat'), // type
        zeros(10), // payload
      ),
    );
    expect(boxes[1]).toMatchObject({ type: 'mdat', offset: 8, size: 18, sizeIsZero: true });
  });

  it('takes size 0 inside a box as the end of that box', () => {
    const [moov] = parseBoxes(
      bytes(
        box(
          'moov',
          u32(0), // size: 0
          fourcc('free'), // type
          zeros(4), // body
        ),
        box('free'), // after moov
      ),
    );
    expect(moov!.children).toMatchObject([{ type: 'free', offset: 8, size: 12, sizeIsZero: true }]);
  });

  it('reads the usertype of a uuid box', () => {
    const [uuid] = parseBoxes(
      bytes(
        u32(8 + 16 + 4), // size
        fourcc('uuid'), // type
        [0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac], // usertype (XMP)
        zeros(4), // body
      ),
    );
    expect(uuid).toMatchObject({
      type: 'uuid',
      size: 28,
      headerSize: 24,
      usertype: 'be7acfcb97a942e89c71999491e3afac',
    });
  });

  it('rejects a size under the header', () => {
    const error = parseError(() => parseBoxes(bytes(box('free'), u32(7), fourcc('free'), zeros(8))));
    expect(error).toMatchObject({ code: 'BOX_INVALID', offset: 8, path: 'free[1]' });
    expect(error.message).toBe('free[1] @ 0x8: size 7 is smaller than its 8-byte header');
  });

  it('rejects a largesize under 16', () => {
    const error = parseError(() => parseBoxes(bytes(u32(1), fourcc('free'), u64(12), zeros(8))));
    expect(error).toMatchObject({ code: 'BOX_INVALID', offset: 0 });
    expect(error.message).toContain('size 12 is smaller than its 16-byte header');
  });

  it('rejects a largesize above 2^53', () => {
    const error = parseError(() => parseBoxes(bytes(u32(1), fourcc('mdat'), u64(2n ** 60n))));
    expect(error.message).toBe('mdat @ 0x0: largesize 1152921504606846976 is above 2^53');
  });

  it('rejects a child larger than its parent', () => {
    const error = parseError(() =>
      parseBoxes(
        bytes(
          box(
            'moov',
            u32(20), // size: 20, but moov has 8 bytes left
            fourcc('free'), // type
          ),
          zeros(12),
        ),
      ),
    );
    expect(error).toMatchObject({ code: 'BOX_INVALID', offset: 8, path: 'moov/free' });
    expect(error.message).toBe(
      'moov/free @ 0x8: box of 20 bytes does not fit in its parent: 8 bytes left in moov',
    );
  });

  it('rejects leftover bytes too few for a header inside a box, but takes a QuickTime zero terminator', () => {
    const error = parseError(() => parseBoxes(bytes(box('udta', box('free'), u8(1, 2, 3)))));
    expect(error).toMatchObject({ code: 'BOX_INVALID', offset: 16, path: 'udta' });
    const [udta] = parseBoxes(bytes(box('udta', box('free'), u32(0))));
    expect(udta!.children).toHaveLength(1);
  });

  it('names repeated siblings by index in paths', () => {
    const [moov] = parseBoxes(bytes(box('moov', box('trak'), box('trak'), box('free'))));
    expect(moov!.children!.map((b) => b.path)).toEqual(['moov/trak', 'moov/trak[1]', 'moov/free']);
  });
});

describe('truncated data', () => {
  const file = bytes(
    box('ftyp', fourcc('isom'), u32(0)), // 16 bytes
    box('moov', box('free', zeros(4)), box('free', zeros(20))), // moov at 16: free at 24 (12 bytes), free at 36 (28 bytes)
  );

  it('yields every complete box, then BOX_TRUNCATED at the cut one', async () => {
    const { boxes, error } = await collect(bytesSource(file.subarray(0, 50)));
    expect(boxes.map((b) => b.path)).toEqual(['ftyp', 'moov', 'moov/free']);
    expect(error).toMatchObject({ code: 'BOX_TRUNCATED', offset: 36, path: 'moov/free[1]' });
    expect(error!.message).toBe('moov/free[1] @ 0x24: box of 28 bytes, 14 left');
  });

  it('says where a header was cut', async () => {
    const { boxes, error } = await collect(bytesSource(file.subarray(0, 20)));
    expect(boxes.map((b) => b.path)).toEqual(['ftyp']);
    expect(error).toMatchObject({ code: 'BOX_TRUNCATED', offset: 16 });
    expect(error!.message).toBe('(top level) @ 0x10: box header needs 8 bytes, 4 left');
  });

  it('says a container was cut right after a complete child', async () => {
    const { boxes, error } = await collect(bytesSource(file.subarray(0, 36)));
    expect(boxes.map((b) => b.path)).toEqual(['ftyp', 'moov', 'moov/free']);
    expect(error).toMatchObject({ code: 'BOX_TRUNCATED', offset: 16, path: 'moov' });
    expect(error!.message).toBe('moov @ 0x10: box of 48 bytes, 20 left');
  });

  it('parseBoxes throws the same error', () => {
    expect(parseError(() => parseBoxes(file.subarray(0, 50)))).toMatchObject({
      code: 'BOX_TRUNCATED',
      offset: 36,
    });
  });
});

describe('fields and entry counts', () => {
  it('a field past the end of its box is BOX_INVALID at that field', () => {
    const error = parseError(() => parseBoxes(bytes(fullBox('mfhd', 0, 0, u16(1)))));
    expect(error).toMatchObject({ code: 'BOX_INVALID', offset: 12, path: 'mfhd' });
    expect(error.message).toBe('mfhd @ 0xc: needs 4 bytes, 2 left');
  });

  it('an entry count the box cannot hold is an error, not an allocation', () => {
    const before = process.memoryUsage().arrayBuffers;
    const error = parseError(() =>
      parseBoxes(
        bytes(
          fullBox(
            'stsz',
            0,
            0,
            u32(0), // sample_size: 0, one entry_size per sample follows
            u32(0xffffffff), // sample_count: 2^32 - 1
            u32(100), // one entry_size
          ),
        ),
      ),
    );
    expect(error.code).toBe('BOX_INVALID');
    expect(error.message).toBe('stsz @ 0x14: sample_count 4294967295 needs 17179869180 bytes, 4 left');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it('the entry count check names the path inside a tree', () => {
    const error = parseError(() =>
      parseBoxes(
        bytes(
          box(
            'moov',
            box('trak'),
            box('trak', box('mdia', box('minf', box('stbl', fullBox('stts', 0, 0, u32(1 << 30)))))),
          ),
        ),
      ),
    );
    expect(error.message).toBe(
      'moov/trak[1]/mdia/minf/stbl/stts @ 0x40: entry_count 1073741824 needs 8589934592 bytes, 0 left',
    );
  });

  it('a trun of 2^32 - 1 samples without per-sample fields has no entries to allocate', () => {
    const [trun] = parseBoxes(bytes(fullBox('trun', 0, 0, u32(0xffffffff)))) as [
      Box & { sampleCount: number; entries: unknown[] },
    ];
    expect(trun.sampleCount).toBe(0xffffffff);
    expect(trun.entries).toEqual([]);
  });

  it('keeps bytes a decoder does not know as trailing', () => {
    const [mfhd] = parseBoxes(bytes(fullBox('mfhd', 0, 0, u32(7), u8(0xaa, 0xbb))));
    expect(mfhd).toMatchObject({ sequenceNumber: 7, trailing: new Uint8Array([0xaa, 0xbb]) });
  });
});

describe('options', () => {
  const file = bytes(box('moov', fullBox('mvhd', 0, 0, zeros(96)), box('trak', box('free'))));

  it('a narrower decoder table decodes fewer boxes', () => {
    const [moov] = parseBoxes(file, { decoders: defaultDecoders.filter((d) => d.type !== 'mvhd') });
    expect(moov!.children![0]).toEqual({
      type: 'mvhd',
      offset: 8,
      size: 108,
      headerSize: 8,
      path: 'moov/mvhd',
      depth: 1,
    });
  });

  it('a table without a container type leaves its children unread', () => {
    const [moov] = parseBoxes(file, { decoders: defaultDecoders.filter((d) => d.type !== 'trak') });
    expect(moov!.children![1]!.children).toBeUndefined();
  });

  it('a duplicate fourcc is a TypeError', () => {
    const mvhd = defaultDecoders.find((d) => d.type === 'mvhd')!;
    expect(() => parseBoxes(file, { decoders: [...defaultDecoders, mvhd] })).toThrow(
      new TypeError(
        'Expected `decoders[' +
          defaultDecoders.length +
          '].type` to be a box type no other decoder in the list has, got `"mvhd"` (string)',
      ),
    );
  });

  it('maxDepth 0 reads the top level only', () => {
    const [moov] = parseBoxes(file, { maxDepth: 0 });
    expect(moov).toEqual({
      type: 'moov',
      offset: 0,
      size: file.length,
      headerSize: 8,
      path: 'moov',
      depth: 0,
    });
  });

  it('maxBoxBytes bounds what is loaded to decode', () => {
    const error = parseError(() => parseBoxes(file, { maxBoxBytes: 64 }));
    expect(error).toMatchObject({ code: 'BOX_TOO_LARGE', path: 'moov/mvhd', offset: 8 });
  });

  it("offset makes offsets and errors the file's", () => {
    const [moov] = parseBoxes(file, { offset: 1000 });
    expect(moov!.children!.map((b) => b.offset)).toEqual([1008, 1116]);
    expect(parseError(() => parseBoxes(file.subarray(0, 20), { offset: 1000 })).offset).toBe(1008);
  });

  it('readBoxes reads a range of the source and stops on abort', async () => {
    const two = bytes(box('free', zeros(4)), box('skip', zeros(4)), box('wide'));
    const { boxes } = await collect(bytesSource(two), { start: 12, end: 24 });
    expect(boxes.map((b) => `${b.type}@${b.offset}`)).toEqual(['skip@12']);
    const controller = new AbortController();
    const reason = new Error('stop');
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const b of readBoxes(bytesSource(two), { signal: controller.signal })) {
          seen.push(b.type);
          controller.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    expect(seen).toEqual(['free']);
  });
});

describe('what readBoxes reads from its source', () => {
  it('never asks for an mdat payload, and reads headers in few requests', async () => {
    const mdatSize = 5_000_000;
    const file = new Uint8Array(16 + mdatSize + 16);
    file.set(bytes(box('ftyp', fourcc('isom'), u32(0))), 0);
    file.set(bytes(u32(mdatSize), fourcc('mdat')), 16);
    file.set(bytes(box('free', zeros(8))), 16 + mdatSize);
    const inner = bytesSource(file);
    const reads: [number, number][] = [];
    const source: ByteSource = {
      size: inner.size,
      read(start, end, signal) {
        reads.push([start, end]);
        return inner.read(start, end, signal);
      },
    };
    const { boxes, error } = await collect(source);
    expect(error).toBeUndefined();
    expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'mdat', 'free']);
    expect(reads.length).toBe(2);
    const bytesRead = reads.reduce((sum, [s, e]) => sum + e - s, 0);
    expect(bytesRead).toBeLessThanOrEqual(64 * 1024 + 16);
  });

  it('reads a moof whole and not the mdat payload after it: one read per fragment', async () => {
    const moof = box('moof', fullBox('mfhd', 0, 0, u32(1)), box('traf', fullBox('tfdt', 1, 0, u64(0))));
    const fragment = [...moof, ...u32(8 + 40_000), ...fourcc('mdat'), ...zeros(40_000)];
    const file = bytes(...Array.from({ length: 20 }, () => fragment));
    const inner = bytesSource(file);
    const reads: [number, number][] = [];
    const source: ByteSource = {
      size: inner.size,
      read(start, end, signal) {
        reads.push([start, end]);
        return inner.read(start, end, signal);
      },
    };
    const { boxes, error } = await collect(source);
    expect(error).toBeUndefined();
    expect(boxes.filter((b) => b.type === 'tfdt')).toHaveLength(20);
    expect(reads.length).toBe(20);
    // Each read starts at a moof and stops 4 KiB on: moof + mdat header, no 40 kB payload.
    expect(reads.every(([start, end]) => end - start <= 4096)).toBe(true);
  });

  it('topLevelOnly yields the top-level boxes only, their children attached', async () => {
    const file = bytes(box('moov', fullBox('mvhd', 0, 0, zeros(96)), box('trak', box('free'))), box('free'));
    const seen: Box[] = [];
    for await (const b of readBoxes(bytesSource(file), { topLevelOnly: true })) seen.push(b);
    expect(seen.map((b) => b.path)).toEqual(['moov', 'free']);
    expect(seen[0]!.children!.map((b) => b.path)).toEqual(['moov/mvhd', 'moov/trak']);
    expect(seen[0]!.children![1]!.children!.map((b) => b.path)).toEqual(['moov/trak/free']);
  });
});

describe('onInvalidBox: past damaged boxes, as Bento4 goes on', () => {
  // moov { mvhd (cut: 4 bytes of its 100), udta { free (claims 1000 bytes), skip } }, then a free.
  const damaged = bytes(
    box('moov', fullBox('mvhd', 0, 0, zeros(4)), box('udta', u32(1000), fourcc('free'), box('skip'))),
    box('free'),
  );

  it('throws at the first without it', () => {
    expect(parseError(() => parseBoxes(damaged)).code).toBe('BOX_INVALID');
  });

  it('keeps an unreadable box as its header, ends a parent at a child that does not fit, goes on after it', () => {
    const errors: BoxParseError[] = [];
    const [moov, free] = parseBoxes(damaged, { onInvalidBox: (error) => errors.push(error) });
    expect(errors.map((error) => [error.code, error.path])).toEqual([
      ['BOX_INVALID', 'moov/mvhd'],
      ['BOX_INVALID', 'moov/udta/free'],
    ]);
    const [mvhd, udta] = moov!.children!;
    expect(mvhd).toMatchObject({ type: 'mvhd', size: 16, invalid: errors[0] });
    expect(mvhd).not.toHaveProperty('timeScale');
    // udta's children stop at the bad one (its skip is not read), and the walk goes on after udta.
    expect(udta).toMatchObject({ type: 'udta' });
    expect(udta!.children).toBeUndefined();
    expect(free).toMatchObject({ type: 'free', offset: moov!.size });
  });

  it('still throws BOX_TRUNCATED for a file cut inside a box header (nothing after it to go on with)', () => {
    // moov holds a child whose header the file cuts after 4 bytes.
    const cut = bytes(u32(8 + 8), fourcc('moov'), u32(8));
    const errors: BoxParseError[] = [];
    expect(parseError(() => parseBoxes(cut, { onInvalidBox: (error) => errors.push(error) })).code).toBe(
      'BOX_TRUNCATED',
    );
    expect(errors).toEqual([]);
  });
});
