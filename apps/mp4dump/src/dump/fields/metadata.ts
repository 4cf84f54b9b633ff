/**
 * Metadata (ISO/IEC 14496-12 8.11.1, QTFF metadata, iTunes `ilst`): meta,
 * ilst and its items, data, mean, name, keys, Nero's chpl (Bento4's Ap4ContainerAtom.cpp
 * for meta, Ap4MetaData.cpp for the items). Bento4 decodes only the iTunes
 * item types of its list; the default mode shows every item, and names an
 * `mdta` item (a 1-based index into `keys`) by its key.
 */
import type {
  Box,
  ChapterListBox,
  DataBox,
  ItemStringBox,
  LocalizedStringBox,
  MetadataKeysBox,
  RecordingYearBox,
  RtpMovieHintInformationBox,
  RtpTimescaleBox,
  SdpBox,
} from '@rec/fmp4-boxes';
import type { BoxFormat, FormatTable } from './BoxFormat.js';
import { NOT_IN_BENTO4 } from './BoxFormat.js';

/** Ap4MetaData.cpp IlstTypes: the items Bento4 reads inside `ilst`. */
const BENTO4_ITEMS = new Set([
  '----',
  '\xa9nam',
  '\xa9ART',
  '\xa9com',
  '\xa9wrt',
  '\xa9alb',
  '\xa9gen',
  '\xa9grp',
  '\xa9day',
  '\xa9too',
  '\xa9cmt',
  'cprt',
  'trkn',
  'disk',
  'covr',
  'desc',
  'gnre',
  'cpil',
  'tmpo',
  'rtng',
  'apID',
  'cnID',
  'cmID',
  'atID',
  'plID',
  'geID',
  'sfID',
  'akID',
  'aART',
  'tvnn',
  'tvsh',
  'tven',
  'tvsn',
  'tves',
  'stik',
  'pgap',
  'pcst',
  'purd',
  'purl',
  'egid',
  'sonm',
  'soal',
  'soar',
  'soaa',
  'soco',
  'sosn',
]);

/** The key of an `mdta` item: its type is a big-endian 1-based index into the meta's `keys`. */
function mdtaKey(item: Box, ancestors: readonly Box[]): string | undefined {
  const meta = ancestors.at(-2);
  const keys = meta?.children?.find((child) => child.type === 'keys') as MetadataKeysBox | undefined;
  if (!keys) return undefined;
  let index = 0;
  for (let i = 0; i < 4; i++) index = index * 256 + (item.type.charCodeAt(i) & 0xff);
  const key = keys.entries[index - 1];
  return key === undefined ? undefined : key.keyValue;
}

/** A child of `ilst`. */
export const itemFormat: BoxFormat = {
  bento4: (box) => BENTO4_ITEMS.has(box.type),
  fields(box, out, ancestors) {
    if (!out.all) return;
    const key = mdtaKey(box, ancestors);
    if (key !== undefined) out.str('key', key);
  },
};

/** The well-known data types Bento4 shows a value for (Ap4MetaData.cpp AP4_DataAtom). */
const UTF8 = 1;
const SIGNED_BE = 21;

function signedValue(bytes: Uint8Array): number | bigint | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (bytes.length) {
    case 1:
      return view.getInt8(0);
    case 2:
      return view.getInt16(0);
    case 4:
      return view.getInt32(0);
    case 8:
      return view.getBigInt64(0);
    default:
      return undefined;
  }
}

/**
 * A 3GPP localized string in a `udta` (Bento4's Ap4MetaData.cpp
 * AP4_3GppLocalizedStringAtom, version 0 only). Bento4 prints the value's
 * bytes up to the first NUL as they are (a UTF-16 value as its raw bytes);
 * it is printed decoded.
 */
const localizedString: BoxFormat<LocalizedStringBox> = {
  decodedKey: 'language',
  bento4: (box) => box.version === 0,
  fields(box, out) {
    out.str('language', box.language);
    out.str('value', box.value);
  },
};

export const metadataFormats: FormatTable = {
  // Hint information (ISO/IEC 14496-12 9.1; Bento4's Ap4TimsAtom, Ap4SdpAtom, Ap4RtpAtom).
  hnti: {},
  tims: {
    fields(box: RtpTimescaleBox, out) {
      out.int('timescale', box.timescale);
    },
  },
  'sdp ': {
    fields(box: SdpBox, out) {
      out.str('sdp_text', box.text);
    },
  },
  'rtp ': {
    decodedKey: 'descriptionFormat',
    fields(box: RtpMovieHintInformationBox, out) {
      out.str('description_format', box.descriptionFormat);
      out.str('sdp_text', box.text);
    },
  },
  titl: localizedString,
  dscp: localizedString,
  cprt: localizedString,
  perf: localizedString,
  auth: localizedString,
  gnre: localizedString,
  yrrc: {
    bento4: NOT_IN_BENTO4,
    fields(box: RecordingYearBox, out) {
      out.int('recording_year', box.year);
    },
  },
  meta: {},
  ilst: {},
  data: {
    decodedKey: 'typeSet',
    // Bento4 reads `data` only inside the items it knows.
    bento4: (_box: Box, ancestors: readonly Box[]) =>
      ancestors.at(-2)?.type === 'ilst' && BENTO4_ITEMS.has(ancestors.at(-1)?.type ?? ''),
    fields(box: DataBox, out) {
      const type = box.typeSet * 0x1000000 + box.dataType;
      out.int('type', type);
      out.int('lang', box.locale);
      if (type === UTF8) out.str('value', box.text ?? '');
      else if (type === SIGNED_BE) {
        const value = signedValue(box.value);
        if (value !== undefined) out.int('value', value);
      } else if (out.all && out.verbosity >= 1) out.bytes('value', box.value);
    },
  },
  mean: {
    decodedKey: 'value',
    bento4PlainHeader: true,
    bento4: (_box: Box, ancestors: readonly Box[]) => ancestors.at(-1)?.type === '----',
    fields(box: ItemStringBox, out) {
      out.str('value', box.value);
    },
  },
  name: {
    decodedKey: 'value',
    bento4PlainHeader: true,
    bento4: (_box: Box, ancestors: readonly Box[]) => ancestors.at(-1)?.type === '----',
    fields(box: ItemStringBox, out) {
      out.str('value', box.value);
    },
  },
  chpl: {
    bento4: NOT_IN_BENTO4,
    fields(box: ChapterListBox, out) {
      // Nero's start_time is in 100 ns units.
      out.int('chapter_count', box.chapters.length);
      out.startArray('chapters');
      for (const chapter of box.chapters) {
        out.startObject(null, true);
        out.int('start_time', chapter.startTime);
        out.str('title', chapter.title);
        out.endObject();
      }
      out.endArray();
    },
  },
  keys: {
    decodedKey: 'entries',
    bento4: NOT_IN_BENTO4,
    fields(box: MetadataKeysBox, out) {
      out.int('entry_count', box.entries.length);
      box.entries.forEach((key, i) => {
        out.str(`key ${i + 1}`, `${key.keyNamespace}:${key.keyValue}`);
      });
    },
  },
};
