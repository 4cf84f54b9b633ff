import type { BoxDecoder } from './BoxDecoder.js';
import { dac4 } from './boxes/Ac4SpecificBox.js';
import { dac3, dec3, dfLa, dmlp } from './boxes/AudioConfigurationBoxes.js';
import { audioSampleEntryDecoders } from './boxes/AudioSampleEntry.js';
import { avcC } from './boxes/AvcConfigurationBox.js';
import { chpl } from './boxes/ChapterListBox.js';
import { containerDecoders, opaqueDecoders } from './boxes/containers.js';
import { dref, url, urn } from './boxes/DataReferenceBox.js';
import { elst } from './boxes/EditListBox.js';
import { esds, iods } from './boxes/EsdsBox.js';
import { elng, emsg, kind, prft, ssix, subs } from './boxes/EventBoxes.js';
import { ftyp, styp } from './boxes/FileTypeBox.js';
import { hdlr } from './boxes/HandlerBox.js';
import { hvcC } from './boxes/HevcConfigurationBox.js';
import { hnti, rtpHintSampleEntry, sdp, tims } from './boxes/HintBoxes.js';
import { mdhd } from './boxes/MediaHeaderBox.js';
import { hmhd, nmhd, smhd, sthd, vmhd } from './boxes/MediaInformationHeaderBoxes.js';
import { ilst, keys, meta } from './boxes/MetaBoxes.js';
import { leva, mehd, trex } from './boxes/MovieExtendsBoxes.js';
import { mfhd, tfdt, tfhd, trun } from './boxes/MovieFragmentBoxes.js';
import { mvhd } from './boxes/MovieHeaderBox.js';
import { dOps } from './boxes/OpusSpecificBox.js';
import { otherSampleEntryDecoders } from './boxes/OtherSampleEntries.js';
import { uuid } from './boxes/PiffBoxes.js';
import { frma, pssh, saio, saiz, schm, senc, tenc } from './boxes/ProtectionBoxes.js';
import { mfro, tfra } from './boxes/RandomAccessBoxes.js';
import { stsd } from './boxes/SampleDescriptionBox.js';
import { sbgp, sgpd } from './boxes/SampleGroupBoxes.js';
import {
  co64,
  cslg,
  ctts,
  sdtp,
  stco,
  stps,
  stsc,
  stss,
  stsz,
  stts,
  stz2,
} from './boxes/SampleTableBoxes.js';
import { sidx } from './boxes/SegmentIndexBox.js';
import { btrt, pasp } from './boxes/SimpleBoxes.js';
import { tkhd } from './boxes/TrackHeaderBox.js';
import { tref } from './boxes/TrackReferenceBox.js';
import { auth, cprt, dscp, gnre, perf, titl, yrrc } from './boxes/UserDataBoxes.js';
import {
  av1C,
  clap,
  clli,
  colr,
  dvcC,
  dvvC,
  dvwC,
  fiel,
  mdcv,
  vpcC,
} from './boxes/VideoConfigurationBoxes.js';
import { visualSampleEntryDecoders } from './boxes/VisualSampleEntry.js';
import { vvcC } from './boxes/VvcConfigurationBox.js';

/**
 * Every decoder this package has, one per fourcc. Pass a subset as the
 * `decoders` option to decode less (`defaultDecoders.filter((d) =>
 * d.type !== 'stsz')`), or add your own (a type already in the list is a
 * `TypeError`: leave the default one out first).
 */
export const defaultDecoders: readonly BoxDecoder[] = Object.freeze([
  ...containerDecoders,
  ...opaqueDecoders,
  ftyp,
  styp,
  mvhd,
  tkhd,
  tref,
  elst,
  mdhd,
  hdlr,
  vmhd,
  smhd,
  hmhd,
  nmhd,
  sthd,
  dref,
  url,
  urn,
  stsd,
  ...visualSampleEntryDecoders,
  ...audioSampleEntryDecoders,
  ...otherSampleEntryDecoders,
  avcC,
  hvcC,
  vvcC,
  av1C,
  vpcC,
  dvcC,
  dvvC,
  dvwC,
  colr,
  clap,
  fiel,
  clli,
  mdcv,
  esds,
  iods,
  dOps,
  dac3,
  dmlp,
  dec3,
  dac4,
  dfLa,
  btrt,
  pasp,
  stts,
  ctts,
  cslg,
  stss,
  stps,
  sdtp,
  stsc,
  stsz,
  stz2,
  stco,
  co64,
  sgpd,
  sbgp,
  mehd,
  trex,
  leva,
  mfhd,
  tfhd,
  tfdt,
  trun,
  sidx,
  tfra,
  mfro,
  meta,
  ilst,
  keys,
  chpl,
  rtpHintSampleEntry,
  tims,
  sdp,
  hnti,
  titl,
  dscp,
  cprt,
  perf,
  auth,
  gnre,
  yrrc,
  elng,
  kind,
  subs,
  ssix,
  emsg,
  prft,
  frma,
  schm,
  tenc,
  senc,
  saiz,
  saio,
  pssh,
  uuid,
] as BoxDecoder[]);
