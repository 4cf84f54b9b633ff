/**
 * Movie structure: ftyp/styp, mvhd, tkhd, tref, elst, mdhd, hdlr, the media
 * information headers, dref and its entries, mvex (Bento4's
 * Ap4FtypAtom.cpp, Ap4MvhdAtom.cpp, Ap4TkhdAtom.cpp, Ap4ElstAtom.cpp,
 * Ap4MdhdAtom.cpp, Ap4HdlrAtom.cpp, Ap4VmhdAtom.cpp, Ap4SmhdAtom.cpp,
 * Ap4HmhdAtom.cpp, Ap4UrlAtom.cpp, Ap4TrefTypeAtom.cpp, Ap4MehdAtom.cpp,
 * Ap4TrexAtom.cpp).
 */
import type {
  DataEntryUrlBox,
  DataEntryUrnBox,
  DataReferenceBox,
  EditListBox,
  ExtendedLanguageBox,
  FileTypeBox,
  HandlerBox,
  HintMediaHeaderBox,
  KindBox,
  LevelAssignmentBox,
  MediaHeaderBox,
  MovieExtendsHeaderBox,
  MovieHeaderBox,
  SoundMediaHeaderBox,
  TrackExtendsBox,
  TrackHeaderBox,
  TrackReferenceTypeBox,
  VideoMediaHeaderBox,
} from '@rec/fmp4-boxes';
import type { Inspector } from '../inspect/Inspector.js';
import { type BoxFormat, type FormatTable, NOT_IN_BENTO4 } from './BoxFormat.js';
import { durationMsRounded, durationMsTruncated } from './values.js';

function brands(box: FileTypeBox, out: Inspector): void {
  out.str('major_brand', box.majorBrand);
  out.hex('minor_version', box.minorVersion);
  for (const brand of box.compatibleBrands) out.str('compatible_brand', brand);
}

/** Creation and modification times (seconds since 1904), which Bento4 reads and does not print. */
function times(
  box: { creationTime: number | bigint; modificationTime: number | bigint },
  out: Inspector,
): void {
  out.int('creation_time', box.creationTime);
  out.int('modification_time', box.modificationTime);
}

/**
 * A tkhd matrix entry as Bento4 prints it: the raw signed 32-bit value as
 * 16.16, through a C float (`(float)m_Matrix[i]/65536.0f`): w (2.30) = 1.0
 * shows as 16384.
 */
function bento4MatrixValue(value: number, index: number): number {
  const raw = Math.round(value * (index % 3 === 2 ? 2 ** 30 : 2 ** 16)) | 0;
  return Math.fround(raw) / 65536;
}

/**
 * mdhd's language as Bento4 names it: QuickTime's 0x7fff (three 0x1f
 * codes, no pad bit) is `und`, and a code with a zero letter is three
 * backquotes.
 */
function languageName({ language, languagePad }: MediaHeaderBox): string {
  if (language === '\x7f\x7f\x7f' && languagePad === 0) return 'und';
  return language.includes('`') ? '```' : language;
}

/** Bento4's tref reference types (Ap4AtomFactory.cpp, inside `tref` only). */
const BENTO4_TREF_TYPES = new Set(['hint', 'cdsc', 'sync', 'mpod', 'dpnd', 'ipir', 'alis', 'chap']);

export function trackReferenceFields(box: TrackReferenceTypeBox, out: Inspector): void {
  out.int('track_id_count', box.trackIds.length);
  for (const id of box.trackIds) out.int('track id ', id);
}

/** A child of `tref` (its type names the reference kind). */
export const trackReferenceFormat: BoxFormat<TrackReferenceTypeBox> = {
  decodedKey: 'trackIds',
  bento4: (box) => BENTO4_TREF_TYPES.has(box.type),
  fields: trackReferenceFields,
};

export const movieFormats: FormatTable = {
  moov: {},
  trak: {},
  ftyp: { fields: brands },
  styp: { bento4: NOT_IN_BENTO4, fields: brands },
  mvhd: {
    fields(box: MovieHeaderBox, out) {
      if (out.all) times(box, out);
      out.int('timescale', box.timeScale);
      out.int('duration', box.duration);
      out.int('duration(ms)', durationMsRounded(box.duration, box.timeScale));
      if (out.all) {
        out.float('rate', box.rate);
        out.float('volume', box.volume);
        for (let i = 0; i < 9; i++) out.float(`matrix_${i}`, box.matrix[i] ?? 0);
        out.int('next_track_ID', box.nextTrackId);
      }
    },
  },
  tkhd: {
    fields(box: TrackHeaderBox, out) {
      if (out.all) times(box, out);
      out.int('enabled', box.flags & 1);
      out.int('id', box.trackId);
      out.int('duration', box.duration);
      if (out.verbosity > 0) {
        out.int('volume', Math.round(box.volume * 256));
        // int(16) both; Bento4 keeps them in 16-bit unsigned fields (layer -1 prints as 65535).
        out.int('layer', out.all ? box.layer : box.layer & 0xffff);
        out.int('alternate_group', out.all ? box.alternateGroup : box.alternateGroup & 0xffff);
        for (let i = 0; i < 9; i++) {
          const value = box.matrix[i] ?? 0;
          // The default mode prints the real values (u, v, w are 2.30 fixed point, ISO/IEC 14496-12 6.2.2).
          out.float(`matrix_${i}`, out.all ? value : bento4MatrixValue(value, i));
        }
      }
      out.float('width', box.width);
      out.float('height', box.height);
    },
  },
  tref: {},
  edts: {},
  elst: {
    fields(box: EditListBox, out) {
      out.int('entry_count', box.entries.length);
      for (const entry of box.entries) {
        out.int('entry/segment duration', entry.segmentDuration);
        out.int('entry/media time', entry.mediaTime);
        out.int('entry/media rate', entry.mediaRate);
        if (out.all && entry.mediaRateFraction !== 0)
          out.int('entry/media rate fraction', entry.mediaRateFraction);
      }
    },
  },
  mdia: {},
  mdhd: {
    fields(box: MediaHeaderBox, out) {
      if (out.all) times(box, out);
      out.int('timescale', box.timeScale);
      out.int('duration', box.duration);
      out.int('duration(ms)', durationMsTruncated(box.duration, box.timeScale));
      out.str('language', languageName(box));
    },
  },
  hdlr: {
    fields(box: HandlerBox, out) {
      out.str('handler_type', box.handlerType);
      out.str('handler_name', box.handlerName);
    },
  },
  elng: {
    bento4: NOT_IN_BENTO4,
    fields(box: ExtendedLanguageBox, out) {
      out.str('extended_language', box.extendedLanguage);
    },
  },
  kind: {
    bento4: NOT_IN_BENTO4,
    fields(box: KindBox, out) {
      out.str('scheme_uri', box.schemeUri);
      out.str('value', box.value);
    },
  },
  minf: {},
  vmhd: {
    fields(box: VideoMediaHeaderBox, out) {
      out.int('graphics_mode', box.graphicsMode);
      const [r, g, b] = box.opColor.map((c) => c.toString(16).padStart(4, '0'));
      out.str('op_color', `${r},${g},${b}`);
    },
  },
  smhd: {
    fields(box: SoundMediaHeaderBox, out) {
      out.int('balance', Math.round(box.balance * 256));
    },
  },
  hmhd: {
    fields(box: HintMediaHeaderBox, out) {
      out.int('max_pdu_size', box.maxPduSize);
      out.int('avg_pdu_size', box.avgPduSize);
      out.int('max_bitrate', box.maxBitrate);
      out.int('avg_bitrate', box.avgBitrate);
    },
  },
  nmhd: {},
  sthd: {},
  gmhd: { bento4: NOT_IN_BENTO4 },
  dinf: {},
  dref: {
    fields(box: DataReferenceBox, out) {
      if (out.all) out.int('entry_count', box.entryCount);
    },
  },
  'url ': {
    fields(box: DataEntryUrlBox, out) {
      out.str('location', box.flags & 1 ? '[local to file]' : (box.location ?? ''));
    },
  },
  'urn ': {
    bento4: NOT_IN_BENTO4,
    fields(box: DataEntryUrnBox, out) {
      out.str('name', box.name);
      if (box.location !== undefined) out.str('location', box.location);
    },
  },
  stbl: {},
  mvex: {},
  mehd: {
    fields(box: MovieExtendsHeaderBox, out) {
      out.int('duration', box.duration);
    },
  },
  trex: {
    fields(box: TrackExtendsBox, out) {
      out.int('track id', box.trackId);
      out.int('default sample description index', box.defaultSampleDescriptionIndex);
      out.int('default sample duration', box.defaultSampleDuration);
      out.int('default sample size', box.defaultSampleSize);
      out.hex('default sample flags', box.defaultSampleFlags);
    },
  },
  leva: {
    bento4: NOT_IN_BENTO4,
    fields(box: LevelAssignmentBox, out) {
      out.int('level_count', box.levels.length);
      out.startArray('levels');
      for (const level of box.levels) {
        out.startObject(null, true);
        out.int('track_ID', level.trackId);
        out.int('padding_flag', level.paddingFlag);
        out.int('assignment_type', level.assignmentType);
        if (level.groupingType !== undefined) out.str('grouping_type', level.groupingType);
        if (level.groupingTypeParameter !== undefined)
          out.int('grouping_type_parameter', level.groupingTypeParameter);
        if (level.subTrackId !== undefined) out.int('sub_track_ID', level.subTrackId);
        out.endObject();
      }
      out.endArray();
    },
  },
  udta: {},
  mdat: {},
  free: {},
  wide: {},
  // Bento4 has no decoder for these: the same header-only line either way.
  skip: { bento4: NOT_IN_BENTO4 },
  // Containers of ours Bento4 leaves undecoded.
  rinf: { bento4: NOT_IN_BENTO4 },
  strk: { bento4: NOT_IN_BENTO4 },
  strd: { bento4: NOT_IN_BENTO4 },
  meco: { bento4: NOT_IN_BENTO4 },
  trgr: { bento4: NOT_IN_BENTO4 },
  tapt: { bento4: NOT_IN_BENTO4 },
  iprp: { bento4: NOT_IN_BENTO4 },
  ipco: { bento4: NOT_IN_BENTO4 },
};
