import { describe, expect, it } from 'vitest';
import { compileTemplate, expandTemplate, fillTemplate, type TemplateValues } from '../src/index.js';

const values: TemplateValues = {
  representationId: 'video-720p',
  bandwidth: 2_500_000,
  number: 42,
  subNumber: 3,
  time: 90_000n,
};

// ISO/IEC 23009-1 5.3.9.4.4, Table 16: identifiers, $$, and the %0<width><format> tag.
const cases: [template: string, expected: string][] = [
  ['$RepresentationID$/$Number$.m4s', 'video-720p/42.m4s'],
  ['seg-$Number%05d$.m4s', 'seg-00042.m4s'],
  ['seg-$Number%01d$.m4s', 'seg-42.m4s'],
  ['seg-$Number%02d$.m4s', 'seg-42.m4s'], // width smaller than the value: no cut
  ['seg-$Number%08x$.m4s', 'seg-0000002a.m4s'], // N_m3u8DL-RE fails this one
  ['seg-$Number%08X$.m4s', 'seg-0000002A.m4s'],
  ['seg-$Number%04o$.m4s', 'seg-0052.m4s'],
  ['seg-$Number%03i$.m4s', 'seg-042.m4s'],
  ['seg-$Number%03u$.m4s', 'seg-042.m4s'],
  ['$Time$.m4s', '90000.m4s'],
  ['$Time%012d$.m4s', '000000090000.m4s'],
  ['$Bandwidth$/$Number$', '2500000/42'],
  ['$Bandwidth%09d$', '002500000'],
  ['$Number$_$SubNumber$.m4s', '42_3.m4s'],
  ['$Number$_$SubNumber%02d$.m4s', '42_03.m4s'],
  ['cost$$/$Number$', 'cost$/42'],
  ['$$$Number$$$', '$42$'],
  ['$$$$', '$$'],
  ['$RepresentationID%05d$.mp4', 'video-720p.mp4'], // no width for RepresentationID (ignored)
  ['plain.mp4', 'plain.mp4'],
  ['', ''],
  ['$Number$$Number$', '4242'],
  ['$Unknown$/$Number$', '$Unknown$/42'], // unknown identifiers are kept as written
  ['$Number', '$Number'], // unterminated
  ['$number$', '$number$'], // identifiers are case-sensitive
];

describe('template expansion', () => {
  it.each(cases)('%j -> %j', (template, expected) => {
    expect(expandTemplate(template, values)).toBe(expected);
  });

  it('keeps $Time$ exact above 2^53 (bigint)', () => {
    const time = 2n ** 53n + 1n; // 9007199254740993: a double would print ...992
    expect(expandTemplate('$Time$.m4s', { ...values, time })).toBe('9007199254740993.m4s');
    expect(expandTemplate('$Time%020d$', { ...values, time })).toBe('00009007199254740993');
    expect(expandTemplate('$Time%x$', { ...values, time })).toBe('$Time%x$'); // no width digits: not a tag
    expect(expandTemplate('$Time%016x$', { ...values, time })).toBe('0020000000000001');
  });

  it('keeps an identifier without a value as written and says which', () => {
    const missing: string[] = [];
    const template = compileTemplate('$RepresentationID$/$Number$-$Time$.mp4');
    expect(
      fillTemplate(template, { representationId: 'a', bandwidth: 1 }, (name) => missing.push(name)),
    ).toBe('a/$Number$-$Time$.mp4');
    expect(missing).toEqual(['Number', 'Time']);
  });

  it('reports unknown identifiers', () => {
    expect(compileTemplate('$Foo$/$Number$').unknown).toEqual(['$Foo$/']);
    expect(compileTemplate('$$/$Number$').unknown).toEqual([]);
  });
});
