import { describe, expect, it } from 'vitest';
import { boxReader, childBox, readBoxes } from '../src/mp4/isoBoxes.js';

const u32 = (value: number) => [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
const type = (fourcc: string) => [...fourcc].map((c) => c.charCodeAt(0));

describe('isoBoxes (ISO/IEC 14496-12 4.2 box headers)', () => {
  // ftyp(12) + moov(8 + trak(8 + tkhd(12)) + trak(8)) + mdat with size 0 (to the end).
  const bytes = Uint8Array.from([
    ...u32(12),
    ...type('ftyp'),
    ...type('isom'), // size, type, major_brand
    ...u32(36),
    ...type('moov'), // size, type
    ...u32(20),
    ...type('trak'), // size, type
    ...u32(12),
    ...type('tkhd'),
    ...u32(7), // size, type, version/flags
    ...u32(8),
    ...type('trak'), // second trak: size, type
    ...u32(0),
    ...type('mdat'),
    1,
    2,
    3, // size 0: to the end
  ]);

  it('walks sizes (0 = to the end), names repeated siblings and gives absolute offsets', () => {
    const top = readBoxes(boxReader(bytes));
    expect(top.map((box) => [box.type, box.offset, box.size])).toEqual([
      ['ftyp', 0, 12],
      ['moov', 12, 36],
      ['mdat', 48, 11],
    ]);
    const moov = top[1]!;
    const tkhd = childBox(childBox(moov, 'trak')!, 'tkhd')!;
    expect([tkhd.path, tkhd.offset, tkhd.body.u32()]).toEqual(['moov/trak/tkhd', 28, 7]);
    expect(
      readBoxes(boxReader(moov.body.bytes, { baseOffset: 20 }), { parentPath: 'moov' }).map((b) => b.path),
    ).toEqual(['moov/trak', 'moov/trak[1]']);
  });

  it('says which box and where when a size or a field runs past its parent', () => {
    const tkhd = childBox(childBox(readBoxes(boxReader(bytes))[1]!, 'trak')!, 'tkhd')!;
    tkhd.body.u32();
    expect(() => tkhd.body.u32()).toThrow(new RangeError('moov/trak/tkhd at 0x28: needs 4 bytes, 0 left'));
    const truncated = bytes.slice(0, 30); // moov claims 36 bytes, 18 are there
    expect(() => readBoxes(boxReader(truncated))).toThrow(
      'moov at 0xc: box size 36 does not fit: 18 bytes left',
    );
    const onError = ({ path, offset }: { path: string; offset: number }) => new Error(`${path}@${offset}`);
    expect(() => readBoxes(boxReader(truncated), { onError })).toThrow('moov@12');
  });
});
