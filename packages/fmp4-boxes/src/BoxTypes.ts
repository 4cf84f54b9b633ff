import type { Box } from './Box.js';
import type { Ac4SpecificBox } from './boxes/Ac4SpecificBox.js';
import type {
  Ac3SpecificBox,
  AlacSpecificBox,
  Ec3SpecificBox,
  FlacSpecificBox,
  MlpSpecificBox,
} from './boxes/AudioConfigurationBoxes.js';
import type { AudioSampleEntry } from './boxes/AudioSampleEntry.js';
import type { AvcConfigurationBox } from './boxes/AvcConfigurationBox.js';
import type { ChapterListBox } from './boxes/ChapterListBox.js';
import type { ContainerBox } from './boxes/containers.js';
import type { DataEntryUrlBox, DataEntryUrnBox, DataReferenceBox } from './boxes/DataReferenceBox.js';
import type { EditListBox } from './boxes/EditListBox.js';
import type { EsdsBox, ObjectDescriptorBox } from './boxes/EsdsBox.js';
import type {
  EventMessageBox,
  ExtendedLanguageBox,
  KindBox,
  ProducerReferenceTimeBox,
  SubSampleInformationBox,
  SubsegmentIndexBox,
} from './boxes/EventBoxes.js';
import type { FileTypeBox } from './boxes/FileTypeBox.js';
import type { HandlerBox } from './boxes/HandlerBox.js';
import type { HevcConfigurationBox } from './boxes/HevcConfigurationBox.js';
import type { RtpTimescaleBox, SdpBox } from './boxes/HintBoxes.js';
import type { MediaHeaderBox } from './boxes/MediaHeaderBox.js';
import type {
  EmptyFullBox,
  HintMediaHeaderBox,
  SoundMediaHeaderBox,
  VideoMediaHeaderBox,
} from './boxes/MediaInformationHeaderBoxes.js';
import type { MetaBox, MetadataKeysBox } from './boxes/MetaBoxes.js';
import type {
  LevelAssignmentBox,
  MovieExtendsHeaderBox,
  TrackExtendsBox,
} from './boxes/MovieExtendsBoxes.js';
import type {
  MovieFragmentHeaderBox,
  TrackFragmentBaseMediaDecodeTimeBox,
  TrackFragmentHeaderBox,
  TrackRunBox,
} from './boxes/MovieFragmentBoxes.js';
import type { MovieHeaderBox } from './boxes/MovieHeaderBox.js';
import type { OpusSpecificBox } from './boxes/OpusSpecificBox.js';
import type {
  PlainSampleEntry,
  TextSampleEntry,
  TimecodeSampleEntry,
  WebVttStringBox,
  XmlSubtitleSampleEntry,
} from './boxes/OtherSampleEntries.js';
import type {
  OriginalFormatBox,
  ProtectionSystemSpecificHeaderBox,
  SampleAuxiliaryInformationOffsetsBox,
  SampleAuxiliaryInformationSizesBox,
  SampleEncryptionBox,
  SchemeTypeBox,
  TrackEncryptionBox,
} from './boxes/ProtectionBoxes.js';
import type {
  MovieFragmentRandomAccessOffsetBox,
  TrackFragmentRandomAccessBox,
} from './boxes/RandomAccessBoxes.js';
import type { SampleDescriptionBox } from './boxes/SampleDescriptionBox.js';
import type { SampleGroupDescriptionBox, SampleToGroupBox } from './boxes/SampleGroupBoxes.js';
import type {
  ChunkOffsetBox,
  CompositionOffsetBox,
  CompositionToDecodeBox,
  SampleDependencyTypeBox,
  SampleSizeBox,
  SampleToChunkBox,
  SyncSampleBox,
  TimeToSampleBox,
} from './boxes/SampleTableBoxes.js';
import type { SegmentIndexBox } from './boxes/SegmentIndexBox.js';
import type { BitRateBox, PixelAspectRatioBox } from './boxes/SimpleBoxes.js';
import type { TrackHeaderBox } from './boxes/TrackHeaderBox.js';
import type { LocalizedStringBox, RecordingYearBox } from './boxes/UserDataBoxes.js';
import type {
  Av1ConfigurationBox,
  CleanApertureBox,
  ColourInformationBox,
  ContentLightLevelBox,
  DolbyVisionConfigurationBox,
  FieldHandlingBox,
  MasteringDisplayColourVolumeBox,
  VpCodecConfigurationBox,
} from './boxes/VideoConfigurationBoxes.js';
import type { VisualSampleEntry } from './boxes/VisualSampleEntry.js';
import type { VvcConfigurationBox } from './boxes/VvcConfigurationBox.js';

/**
 * The decoded type of each fourcc the default decoders know, for
 * `findBox(boxes, 'moov/trak/tkhd')` to return a `TrackHeaderBox`. (With a
 * narrowed decoder table a box may be undecoded: type it as `Box` yourself.)
 */
export interface BoxTypes {
  ftyp: FileTypeBox;
  styp: FileTypeBox;
  moov: ContainerBox;
  trak: ContainerBox;
  edts: ContainerBox;
  mdia: ContainerBox;
  minf: ContainerBox;
  dinf: ContainerBox;
  stbl: ContainerBox;
  mvex: ContainerBox;
  moof: ContainerBox;
  traf: ContainerBox;
  mfra: ContainerBox;
  udta: ContainerBox;
  sinf: ContainerBox;
  schi: ContainerBox;
  tref: ContainerBox;
  ilst: ContainerBox;
  mvhd: MovieHeaderBox;
  tkhd: TrackHeaderBox;
  elst: EditListBox;
  mdhd: MediaHeaderBox;
  hdlr: HandlerBox;
  vmhd: VideoMediaHeaderBox;
  smhd: SoundMediaHeaderBox;
  hmhd: HintMediaHeaderBox;
  nmhd: EmptyFullBox;
  sthd: EmptyFullBox;
  dref: DataReferenceBox;
  'url ': DataEntryUrlBox;
  'urn ': DataEntryUrnBox;
  stsd: SampleDescriptionBox;
  avc1: VisualSampleEntry;
  avc3: VisualSampleEntry;
  hvc1: VisualSampleEntry;
  hev1: VisualSampleEntry;
  av01: VisualSampleEntry;
  vp09: VisualSampleEntry;
  encv: VisualSampleEntry;
  mp4a: AudioSampleEntry;
  Opus: AudioSampleEntry;
  'ac-3': AudioSampleEntry;
  'ec-3': AudioSampleEntry;
  fLaC: AudioSampleEntry;
  enca: AudioSampleEntry;
  /** The sample entry, or (inside it) its magic cookie. */
  alac: AudioSampleEntry | AlacSpecificBox;
  wvtt: PlainSampleEntry;
  mp4s: PlainSampleEntry;
  c608: PlainSampleEntry;
  stpp: XmlSubtitleSampleEntry;
  tx3g: TextSampleEntry;
  tmcd: TimecodeSampleEntry;
  vttC: WebVttStringBox;
  vlab: WebVttStringBox;
  avcC: AvcConfigurationBox;
  hvcC: HevcConfigurationBox;
  vvcC: VvcConfigurationBox;
  av1C: Av1ConfigurationBox;
  vpcC: VpCodecConfigurationBox;
  dvcC: DolbyVisionConfigurationBox;
  dvvC: DolbyVisionConfigurationBox;
  dvwC: DolbyVisionConfigurationBox;
  colr: ColourInformationBox;
  clap: CleanApertureBox;
  fiel: FieldHandlingBox;
  clli: ContentLightLevelBox;
  mdcv: MasteringDisplayColourVolumeBox;
  esds: EsdsBox;
  iods: ObjectDescriptorBox;
  dOps: OpusSpecificBox;
  dac3: Ac3SpecificBox;
  dmlp: MlpSpecificBox;
  dec3: Ec3SpecificBox;
  dac4: Ac4SpecificBox;
  dfLa: FlacSpecificBox;
  btrt: BitRateBox;
  pasp: PixelAspectRatioBox;
  chpl: ChapterListBox;
  tims: RtpTimescaleBox;
  'sdp ': SdpBox;
  titl: LocalizedStringBox;
  dscp: LocalizedStringBox;
  perf: LocalizedStringBox;
  auth: LocalizedStringBox;
  yrrc: RecordingYearBox;
  stts: TimeToSampleBox;
  ctts: CompositionOffsetBox;
  cslg: CompositionToDecodeBox;
  stss: SyncSampleBox;
  stps: SyncSampleBox;
  sdtp: SampleDependencyTypeBox;
  stsc: SampleToChunkBox;
  stsz: SampleSizeBox;
  stz2: SampleSizeBox;
  stco: ChunkOffsetBox;
  co64: ChunkOffsetBox;
  sgpd: SampleGroupDescriptionBox;
  sbgp: SampleToGroupBox;
  mehd: MovieExtendsHeaderBox;
  trex: TrackExtendsBox;
  leva: LevelAssignmentBox;
  mfhd: MovieFragmentHeaderBox;
  tfhd: TrackFragmentHeaderBox;
  tfdt: TrackFragmentBaseMediaDecodeTimeBox;
  trun: TrackRunBox;
  sidx: SegmentIndexBox;
  tfra: TrackFragmentRandomAccessBox;
  mfro: MovieFragmentRandomAccessOffsetBox;
  meta: MetaBox;
  keys: MetadataKeysBox;
  elng: ExtendedLanguageBox;
  kind: KindBox;
  subs: SubSampleInformationBox;
  ssix: SubsegmentIndexBox;
  emsg: EventMessageBox;
  prft: ProducerReferenceTimeBox;
  frma: OriginalFormatBox;
  schm: SchemeTypeBox;
  tenc: TrackEncryptionBox;
  senc: SampleEncryptionBox;
  saiz: SampleAuxiliaryInformationSizesBox;
  saio: SampleAuxiliaryInformationOffsetsBox;
  pssh: ProtectionSystemSpecificHeaderBox;
}

/** The fourcc at the end of a path: `moov/trak[1]/tkhd` -> `tkhd`. */
type LastType<P extends string> = P extends `${string}/${infer Rest}`
  ? LastType<Rest>
  : P extends `${infer T}[${string}]`
    ? T
    : P;

/** The decoded type of the box a path ends at (`Box` for a type without a decoder). */
export type BoxAt<P extends string> = LastType<P> extends keyof BoxTypes ? BoxTypes[LastType<P>] : Box;
