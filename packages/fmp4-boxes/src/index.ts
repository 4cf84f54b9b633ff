export type { Box, BoxFields, FullBox, Uint64, Uint64Array } from './Box.js';
export type { BoxDecoder, DecodeContext, EncodeContext } from './BoxDecoder.js';
export { BoxParseError, BoxParseErrorCode } from './BoxParseError.js';
export type { BoxAt, BoxTypes } from './BoxTypes.js';
// Decoded box types, one module per box or family (the decoders are reached through defaultDecoders).
export type { Ac4Presentation, Ac4SpecificBox } from './boxes/Ac4SpecificBox.js';
export type {
  Ac3SpecificBox,
  AlacSpecificBox,
  Ec3SpecificBox,
  Ec3Substream,
  FlacMetadataBlock,
  FlacSpecificBox,
  FlacStreamInfo,
  MlpSpecificBox,
} from './boxes/AudioConfigurationBoxes.js';
export type { AudioSampleEntry } from './boxes/AudioSampleEntry.js';
export type { AvcConfigurationBox } from './boxes/AvcConfigurationBox.js';
export type { Chapter, ChapterListBox } from './boxes/ChapterListBox.js';
export type { ContainerBox } from './boxes/containers.js';
export type { DataEntryUrlBox, DataEntryUrnBox, DataReferenceBox } from './boxes/DataReferenceBox.js';
// Flags and constants of the boxes.
export { DATA_ENTRY_SELF_CONTAINED } from './boxes/DataReferenceBox.js';
export type { EditListBox, EditListEntry } from './boxes/EditListBox.js';
export type { EsdsBox, ObjectDescriptorBox } from './boxes/EsdsBox.js';
export type {
  EventMessageBox,
  ExtendedLanguageBox,
  KindBox,
  ProducerReferenceTimeBox,
  SubSampleInformationBox,
  SubsampleEntry,
  SubsampleInfo,
  SubsegmentIndexBox,
  SubsegmentRange,
} from './boxes/EventBoxes.js';
export type { FileTypeBox } from './boxes/FileTypeBox.js';
export type { HandlerBox } from './boxes/HandlerBox.js';
export type { HevcConfigurationBox, HevcNaluArray } from './boxes/HevcConfigurationBox.js';
export type {
  RtpHintSampleEntry,
  RtpMovieHintInformationBox,
  RtpTimescaleBox,
  SdpBox,
} from './boxes/HintBoxes.js';
export type { MediaHeaderBox } from './boxes/MediaHeaderBox.js';
export type {
  EmptyFullBox,
  HintMediaHeaderBox,
  SoundMediaHeaderBox,
  VideoMediaHeaderBox,
} from './boxes/MediaInformationHeaderBoxes.js';
export type {
  DataBox,
  ItemListItem,
  ItemStringBox,
  MetaBox,
  MetadataKey,
  MetadataKeysBox,
} from './boxes/MetaBoxes.js';
export type {
  LevelAssignment,
  LevelAssignmentBox,
  MovieExtendsHeaderBox,
  TrackExtendsBox,
} from './boxes/MovieExtendsBoxes.js';
export type {
  MovieFragmentHeaderBox,
  TrackFragmentBaseMediaDecodeTimeBox,
  TrackFragmentHeaderBox,
  TrackRunBox,
  TrackRunEntry,
} from './boxes/MovieFragmentBoxes.js';
export { SampleFlags, TrackFragmentHeaderFlags, TrackRunFlags } from './boxes/MovieFragmentBoxes.js';
export type { MovieHeaderBox } from './boxes/MovieHeaderBox.js';
export type { OpusSpecificBox } from './boxes/OpusSpecificBox.js';
export type {
  PlainSampleEntry,
  TextSampleEntry,
  TimecodeSampleEntry,
  WebVttStringBox,
  XmlSubtitleSampleEntry,
} from './boxes/OtherSampleEntries.js';
export type {
  PiffTrackEncryptionBox,
  TrackFragmentExtendedHeaderBox,
  TrackFragmentReferenceBox,
} from './boxes/PiffBoxes.js';
export { PiffUsertype } from './boxes/PiffBoxes.js';
export type {
  OriginalFormatBox,
  ProtectionSystemSpecificHeaderBox,
  SampleAuxiliaryInformationOffsetsBox,
  SampleAuxiliaryInformationSizesBox,
  SampleEncryptionBox,
  SchemeTypeBox,
  SencSample,
  SencSubsample,
  TrackEncryptionBox,
} from './boxes/ProtectionBoxes.js';
export {
  SENC_OVERRIDE_TRACK_ENCRYPTION_BOX_PARAMS,
  SENC_USE_SUBSAMPLE_ENCRYPTION,
} from './boxes/ProtectionBoxes.js';
export type {
  MovieFragmentRandomAccessOffsetBox,
  TrackFragmentRandomAccessBox,
  TrackFragmentRandomAccessEntry,
} from './boxes/RandomAccessBoxes.js';
export type { SampleDescriptionBox } from './boxes/SampleDescriptionBox.js';
export type { SampleEntry } from './boxes/SampleEntry.js';
export type { SampleGroupDescriptionBox, SampleToGroupBox } from './boxes/SampleGroupBoxes.js';
export type {
  ChunkOffsetBox,
  CompositionOffsetBox,
  CompositionToDecodeBox,
  SampleDependencyTypeBox,
  SampleSizeBox,
  SampleToChunkBox,
  SyncSampleBox,
  TimeToSampleBox,
} from './boxes/SampleTableBoxes.js';
export type { SegmentIndexBox, SegmentIndexReference } from './boxes/SegmentIndexBox.js';
export type { BitRateBox, PixelAspectRatioBox } from './boxes/SimpleBoxes.js';
export type { TrackHeaderBox } from './boxes/TrackHeaderBox.js';
export { TrackHeaderFlags } from './boxes/TrackHeaderBox.js';
export type { TrackReferenceTypeBox } from './boxes/TrackReferenceBox.js';
export type { LocalizedStringBox, RecordingYearBox } from './boxes/UserDataBoxes.js';
export type {
  Av1ConfigurationBox,
  CleanApertureBox,
  ColourInformationBox,
  ContentLightLevelBox,
  DolbyVisionConfigurationBox,
  FieldHandlingBox,
  MasteringDisplayColourVolumeBox,
  VpCodecConfigurationBox,
} from './boxes/VideoConfigurationBoxes.js';
export type { VisualSampleEntry } from './boxes/VisualSampleEntry.js';
export type {
  VvcConfigurationBox,
  VvcNaluArray,
  VvcProfileTierLevel,
} from './boxes/VvcConfigurationBox.js';
export {
  buildFragment,
  buildInitSegment,
  buildSidx,
  type FragmentOptions,
  type FragmentSampleInput,
  type FragmentTrack,
  type InitSegmentOptions,
  type InitTrack,
  type SidxOptions,
  type SidxReferenceInput,
} from './build/buildSegments.js';
export { makeBox } from './build/makeBox.js';
export {
  type AacSampleEntryOptions,
  type AvcSampleEntryOptions,
  aacSampleEntry,
  avcSampleEntry,
} from './build/sampleEntries.js';
export { defaultDecoders } from './defaultDecoders.js';
export type { AudioSpecificConfig } from './descriptors/AudioSpecificConfig.js';
export type {
  DecoderConfigDescriptor,
  DecoderSpecificInfoDescriptor,
  Descriptor,
  EsDescriptor,
  SlConfigDescriptor,
  UnknownDescriptor,
} from './descriptors/Descriptor.js';
export { DescriptorTag } from './descriptors/Descriptor.js';
export { findBox, findBoxes } from './find/findBox.js';
export type { BoxWalkOptions } from './read/options.js';
export { type ParseBoxesOptions, parseBoxes } from './read/parseBoxes.js';
export { type ReadBoxesOptions, readBoxes } from './read/readBoxes.js';
export { type FragmentSampleOptions, listFragmentSamples } from './samples/listFragmentSamples.js';
export { listSamples } from './samples/listSamples.js';
export { listSidxRanges, type SidxRange } from './samples/listSidxRanges.js';
export { listTrackSamples } from './samples/listTrackSamples.js';
export type { FragmentSample, Sample } from './samples/Sample.js';
export { BitWriter, ByteWriter } from './write/ByteWriter.js';
export { type EncodeOptions, encodeBox, encodeBoxes, overwriteBox } from './write/encodeBoxes.js';
