/**
 * 3GPP asset boxes in a `udta` (3GPP TS 26.244): the localized strings and
 * `yrrc` ffmpeg's 3gp muxer writes from `-metadata`, checked against the
 * values given (ffprobe 5.1 reads none of them back but `cprt`, as an
 * empty string), and byte literals for a UTF-16 value, a value without its
 * NUL, and an `ilst` item of the same fourcc (`cprt`), which stays an item;
 * each written back as read.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  box,
  bytes,
  fullBox,
  makeTempDir,
  runFfmpeg,
  type TempDir,
  testAudioInput,
  u8,
  u16,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Box,
  findBox,
  type LocalizedStringBox,
  parseBoxes,
  type RecordingYearBox,
} from '../src/index.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

let temp: TempDir;
beforeAll(async () => {
  temp = await makeTempDir('fmp4-boxes-udta-');
});
afterAll(() => temp?.remove());

const text = (value: string) => [...new TextEncoder().encode(value)];
/** 'eng' packed as ISO/IEC 14496-12 packs a language: three 5-bit letters - 0x60. */
const ENG = u16(((0x65 - 0x60) << 10) | ((0x6e - 0x60) << 5) | (0x67 - 0x60));

describe('3GPP asset boxes (udta)', () => {
  it("ffmpeg's 3gp tags, as given to it", async () => {
    const file = join(temp.path, 'tags.3gp');
    await runFfmpeg([
      ...['-v', 'error', ...testAudioInput({ seconds: 1 })],
      ...['-metadata', 'title=Über alles ©', '-metadata', 'artist=The Band', '-metadata', 'genre=Rock'],
      ...['-metadata', 'comment=A description', '-metadata', 'copyright=2026 rec', '-metadata', 'date=2026'],
      ...['-c:a', 'aac', '-ar', '16000', '-f', '3gp', file],
    ]);
    const input = new Uint8Array(await readFile(file));
    expectRoundTrip(input);
    const udta = findBox(parseBoxes(input), 'moov/udta') as Box;
    const strings = Object.fromEntries(
      (udta.children ?? [])
        .filter((child): child is LocalizedStringBox => 'language' in child)
        .map((child) => [child.type, child.value]),
    );
    expect(strings).toEqual({
      titl: 'Über alles ©',
      perf: 'The Band',
      gnre: 'Rock',
      dscp: 'A description',
      cprt: '2026 rec',
    });
    const year = (udta.children ?? []).find((child) => child.type === 'yrrc') as RecordingYearBox;
    expect(year.year).toBe(2026);
    expect((udta.children ?? []).find((child) => child.type === 'titl')).toMatchObject({
      version: 0,
      language: 'eng',
      encoding: 'utf-8',
    });
  });

  it('a UTF-16 value, a value without its NUL, and an ilst cprt item, each written back as read', () => {
    const utf16 = [0xfe, 0xff, 0x00, 0x48, 0x00, 0xe9, 0xd8, 0x3d, 0xde, 0x00, 0x00, 0x00]; // BOM, "Hé😀", NUL
    const input = bytes(
      box(
        'udta',
        fullBox('titl', 0, 0, ENG, utf16),
        fullBox('auth', 0, 0, ENG, text('No NUL')),
        fullBox('yrrc', 0, 0, u16(1999)),
        box(
          'meta',
          u8(0, 0, 0, 0),
          box('ilst', box('cprt', box('data', u8(0, 0, 0, 1), u8(0, 0, 0, 0), text('(c)')))),
        ),
      ),
    );
    expectRoundTrip(input);
    const [udta] = parseBoxes(input);
    const [titl, auth, yrrc, meta] = udta?.children ?? [];
    expect(titl).toMatchObject({ type: 'titl', language: 'eng', value: 'Hé😀', encoding: 'utf-16' });
    expect((titl as LocalizedStringBox).valueBytes).toBeUndefined();
    expect(auth).toMatchObject({ type: 'auth', value: 'No NUL', encoding: 'utf-8' });
    expect((auth as LocalizedStringBox).valueBytes).toEqual(new Uint8Array(text('No NUL')));
    expect(yrrc).toMatchObject({ type: 'yrrc', year: 1999 });
    const item = findBox([meta as Box], 'meta/ilst/cprt');
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('language');
    expect(item?.children?.[0]).toMatchObject({ type: 'data', text: '(c)' });
  });
});
