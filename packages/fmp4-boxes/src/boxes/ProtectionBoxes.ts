import type { ByteReader } from '@rec/core';
import type { Box, FullBox, Uint64Array } from '../Box.js';
import type { BoxDecoder, DecodeContext } from '../BoxDecoder.js';
import { needEntries, readBytes, readFullBox, readUint64Array, toHex } from '../read/fields.js';
import type { ByteWriter } from '../write/ByteWriter.js';
import { writeFullBox } from '../write/fields.js';

/*
 * Common encryption (ISO/IEC 23001-7) and the protection boxes of
 * ISO/IEC 14496-12 8.12. System and key ids are 32 lowercase hex digits.
 */

/** `frma` (8.12.2): the format the protected sample entry had (`avc1` under `encv`). */
export interface OriginalFormatBox extends Box {
  type: 'frma';
  originalFormat: string;
}

/* aligned(8) class OriginalFormatBox(codingname) extends Box ('frma') { unsigned int(32) data_format = codingname; } */
export const frma: BoxDecoder<OriginalFormatBox> = {
  type: 'frma',
  read: (reader) => ({ originalFormat: reader.fourcc() }), // data_format
  write(box, writer) {
    writer.fourcc(box.originalFormat); // data_format
  },
};

/** `schm` (8.12.5): the protection scheme (`cenc`, `cbcs`...). */
export interface SchemeTypeBox extends FullBox {
  type: 'schm';
  schemeType: string;
  /** 0x00010000 for cenc 1.0. */
  schemeVersion: number;
  /** Set when the version is a 16-bit field (some old QuickTime writers): Bento4's "short form". */
  shortForm?: true;
  schemeUri?: string;
}

/* aligned(8) class SchemeTypeBox extends FullBox('schm', 0, flags) { unsigned int(32) scheme_type;
 *   unsigned int(32) scheme_version; if (flags & 0x000001) { unsigned int(8) scheme_uri[]; } } */
export const schm: BoxDecoder<SchemeTypeBox> = {
  type: 'schm',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const schemeType = reader.fourcc(); // scheme_type
    if (reader.remaining === 2)
      return { version, flags, schemeType, schemeVersion: reader.u16(), shortForm: true };
    const schemeVersion = reader.u32(); // scheme_version
    return flags & 1
      ? { version, flags, schemeType, schemeVersion, schemeUri: reader.cstring() }
      : { version, flags, schemeType, schemeVersion }; // scheme_uri
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.fourcc(box.schemeType); // scheme_type
    if (box.shortForm) writer.u16(box.schemeVersion);
    else writer.u32(box.schemeVersion); // scheme_version
    if (box.schemeUri !== undefined) writer.cstring(box.schemeUri); // scheme_uri
  },
};

/** `tenc` (ISO/IEC 23001-7 8.2): a track's default encryption parameters. */
export interface TrackEncryptionBox extends FullBox {
  type: 'tenc';
  /** Version 0: reserved; version 1: default_crypt_byte_block (4) and default_skip_byte_block (4). */
  reserved1: number;
  defaultCryptByteBlock?: number;
  defaultSkipByteBlock?: number;
  reserved2: number;
  defaultIsProtected: number;
  /** 0, 8 or 16; 0 with a constant IV. */
  defaultPerSampleIvSize: number;
  defaultKid: string;
  defaultConstantIv?: Uint8Array;
}

/* aligned(8) class TrackEncryptionBox extends FullBox('tenc', version, flags=0) { unsigned int(8) reserved = 0;
 *   if (version==0) { unsigned int(8) reserved = 0; } else { unsigned int(4) default_crypt_byte_block; unsigned int(4) default_skip_byte_block; }
 *   unsigned int(8) default_isProtected; unsigned int(8) default_Per_Sample_IV_Size; unsigned int(8)[16] default_KID;
 *   if (default_isProtected ==1 && default_Per_Sample_IV_Size == 0) { unsigned int(8) default_constant_IV_size;
 *     unsigned int(8)[default_constant_IV_size] default_constant_IV; } } */
export function readTrackEncryption(
  reader: ByteReader,
  context: DecodeContext,
): Omit<TrackEncryptionBox, keyof Box> {
  const { version, flags } = readFullBox(reader);
  const reserved1 = reader.u8(); // reserved
  const blocks = reader.u8(); // reserved / default_crypt_byte_block, default_skip_byte_block
  const fields: Omit<TrackEncryptionBox, keyof Box> = {
    version,
    flags,
    reserved1,
    reserved2: version === 0 ? blocks : 0,
    defaultIsProtected: reader.u8(), // default_isProtected
    defaultPerSampleIvSize: reader.u8(), // default_Per_Sample_IV_Size
    defaultKid: toHex(reader.bytesView(16)), // default_KID
  };
  if (version !== 0) {
    fields.defaultCryptByteBlock = blocks >> 4;
    fields.defaultSkipByteBlock = blocks & 0x0f;
  }
  if (fields.defaultIsProtected === 1 && fields.defaultPerSampleIvSize === 0) {
    fields.defaultConstantIv = readBytes(reader, reader.u8()); // default_constant_IV_size, default_constant_IV
  }
  // senc in a later moof needs the IV size: note it under the track's id.
  const trackId = trackIdOf(context);
  if (trackId !== undefined) context.notes.set(`ivSize:${trackId}`, fields.defaultPerSampleIvSize);
  return fields;
}

export function writeTrackEncryption(box: TrackEncryptionBox, writer: ByteWriter): void {
  writeFullBox(writer, box);
  writer.u8(box.reserved1); // reserved
  if (box.version === 0)
    writer.u8(box.reserved2); // reserved
  else writer.u8(((box.defaultCryptByteBlock ?? 0) << 4) | (box.defaultSkipByteBlock ?? 0)); // crypt, skip byte blocks
  writer.u8(box.defaultIsProtected).u8(box.defaultPerSampleIvSize).hex16(box.defaultKid);
  if (box.defaultConstantIv) writer.u8(box.defaultConstantIv.length).bytes(box.defaultConstantIv);
}

export const tenc: BoxDecoder<TrackEncryptionBox> = {
  type: 'tenc',
  read: readTrackEncryption,
  write: writeTrackEncryption,
};

/** The track id of the trak or traf around the box being decoded (tkhd or tfhd, which come first). */
function trackIdOf(context: DecodeContext): number | undefined {
  const track = context.ancestors.findLast((box) => box.type === 'trak' || box.type === 'traf');
  const header = track?.children?.find((box) => box.type === 'tkhd' || box.type === 'tfhd') as
    | { trackId?: number }
    | undefined;
  return header?.trackId;
}

export interface SencSubsample {
  bytesOfClearData: number;
  bytesOfProtectedData: number;
}

export interface SencSample {
  iv: Uint8Array;
  subsamples?: SencSubsample[];
}

/** `senc` (ISO/IEC 23001-7 7.2), and the PIFF sample encryption `uuid` box of the same syntax. */
export interface SampleEncryptionBox extends FullBox {
  /** `senc`, or `uuid` for PIFF. */
  type: string;
  /** Flag 1 (PIFF): an override of the track's algorithm, IV size and KID. */
  algorithmId?: number;
  perSampleIvSize?: number;
  kid?: string;
  sampleCount: number;
  /** The IV size used to read the samples: the override's, the track's tenc's, or guessed from the box size. */
  ivSize?: number;
  /** How `ivSize` was found. */
  ivSizeFrom?: 'override' | 'tenc' | 'guess';
  /** Absent when no IV size fits the box: the entries stay in `trailing`. Empty when the entries have no bytes at all. */
  samples?: SencSample[];
}

export const SENC_OVERRIDE_TRACK_ENCRYPTION_BOX_PARAMS = 0x000001;
export const SENC_USE_SUBSAMPLE_ENCRYPTION = 0x000002;

/** Reads the sample entries with `ivSize`, or returns undefined if they do not fill the box exactly. */
function readSencSamples(
  reader: ByteReader,
  count: number,
  ivSize: number,
  subsamples: boolean,
): SencSample[] | undefined {
  const start = reader.position;
  const samples: SencSample[] = [];
  // Entries of no bytes (no IV, no subsamples) hold nothing to list, however many.
  if (ivSize === 0 && !subsamples) return reader.remaining === 0 ? samples : undefined;
  for (let i = 0; i < count; i++) {
    if (reader.remaining < ivSize + (subsamples ? 2 : 0)) {
      reader.seek(start);
      return undefined;
    }
    const sample: SencSample = { iv: readBytes(reader, ivSize) }; // InitializationVector
    if (subsamples) {
      const subsampleCount = reader.u16(); // subsample_count
      if (reader.remaining < subsampleCount * 6) {
        reader.seek(start);
        return undefined;
      }
      sample.subsamples = [];
      for (let j = 0; j < subsampleCount; j++) {
        sample.subsamples.push({ bytesOfClearData: reader.u16(), bytesOfProtectedData: reader.u32() }); // BytesOfClearData, BytesOfProtectedData
      }
    }
    samples.push(sample);
  }
  if (reader.remaining !== 0) {
    reader.seek(start);
    return undefined;
  }
  return samples;
}

/*
 * aligned(8) class SampleEncryptionBox extends FullBox('senc', version=0, flags) { unsigned int(32) sample_count;
 *   { unsigned int(Per_Sample_IV_Size*8) InitializationVector;
 *     if (flags & 0x000002) { unsigned int(16) subsample_count;
 *       { unsigned int(16) BytesOfClearData; unsigned int(32) BytesOfProtectedData; } [ subsample_count ] } }[ sample_count ] }
 * PIFF 1.1 adds, with flag 1: unsigned int(24) AlgorithmID; unsigned int(8) IV_size; unsigned int(8)[16] KID; before sample_count.
 *
 * The IV size is not in the box: it is tenc's (noted when the init segment
 * was read in the same walk), else guessed among 0, 8 and 16 as the one
 * that fills the box exactly (Bento4 guesses even when tenc says).
 */
export function readSampleEncryption(
  reader: ByteReader,
  context: DecodeContext,
): Omit<SampleEncryptionBox, keyof Box> {
  const { version, flags } = readFullBox(reader);
  const fields: Omit<SampleEncryptionBox, keyof Box> = { version, flags, sampleCount: 0 };
  if (flags & SENC_OVERRIDE_TRACK_ENCRYPTION_BOX_PARAMS) {
    fields.algorithmId = reader.u24(); // AlgorithmID
    fields.perSampleIvSize = reader.u8(); // IV_size
    fields.kid = toHex(reader.bytesView(16)); // KID
  }
  const count = reader.u32(); // sample_count
  fields.sampleCount = count;
  const subsamples = (flags & SENC_USE_SUBSAMPLE_ENCRYPTION) !== 0;
  needEntries(reader, context, count, subsamples ? 2 : 0, 'sample_count');
  const trackId = trackIdOf(context);
  const noted = trackId === undefined ? undefined : context.notes.get(`ivSize:${trackId}`);
  const known = fields.perSampleIvSize ?? (typeof noted === 'number' ? noted : undefined);
  const tries = known !== undefined ? [known] : [8, 16, 0];
  for (const ivSize of tries) {
    const samples = readSencSamples(reader, count, ivSize, subsamples);
    if (samples) {
      fields.ivSize = ivSize;
      fields.ivSizeFrom =
        fields.perSampleIvSize !== undefined ? 'override' : known !== undefined ? 'tenc' : 'guess';
      fields.samples = samples;
      break;
    }
  }
  return fields;
}

export function writeSampleEncryption(box: SampleEncryptionBox, writer: ByteWriter): void {
  writeFullBox(writer, box);
  if (box.flags & SENC_OVERRIDE_TRACK_ENCRYPTION_BOX_PARAMS) {
    writer
      .u24(box.algorithmId ?? 0)
      .u8(box.perSampleIvSize ?? 0)
      .hex16(box.kid ?? '0'.repeat(32)); // AlgorithmID, IV_size, KID
  }
  writer.u32(box.sampleCount); // sample_count
  for (const sample of box.samples ?? []) {
    writer.bytes(sample.iv); // InitializationVector
    if (box.flags & SENC_USE_SUBSAMPLE_ENCRYPTION) {
      const subsamples = sample.subsamples ?? [];
      writer.u16(subsamples.length); // subsample_count
      for (const sub of subsamples) writer.u16(sub.bytesOfClearData).u32(sub.bytesOfProtectedData);
    }
  }
}

export const senc: BoxDecoder<SampleEncryptionBox> = {
  type: 'senc',
  read: readSampleEncryption,
  write: writeSampleEncryption,
};

/** `saiz` (ISO/IEC 14496-12 8.7.8): sizes of each sample's auxiliary information (the senc entries). */
export interface SampleAuxiliaryInformationSizesBox extends FullBox {
  type: 'saiz';
  auxInfoType?: string;
  auxInfoTypeParameter?: number;
  defaultSampleInfoSize: number;
  sampleCount: number;
  /** Per sample, when defaultSampleInfoSize is 0. */
  entries: Uint8Array;
}

/* aligned(8) class SampleAuxiliaryInformationSizesBox extends FullBox('saiz', version = 0, flags) {
 *   if (flags & 1) { unsigned int(32) aux_info_type; unsigned int(32) aux_info_type_parameter; }
 *   unsigned int(8) default_sample_info_size; unsigned int(32) sample_count;
 *   if (default_sample_info_size == 0) { unsigned int(8) sample_info_size[ sample_count ]; } } */
export const saiz: BoxDecoder<SampleAuxiliaryInformationSizesBox> = {
  type: 'saiz',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const aux = flags & 1 ? { auxInfoType: reader.fourcc(), auxInfoTypeParameter: reader.u32() } : {}; // aux_info_type, aux_info_type_parameter
    const defaultSampleInfoSize = reader.u8(); // default_sample_info_size
    const sampleCount = reader.u32(); // sample_count
    const count = defaultSampleInfoSize === 0 ? sampleCount : 0;
    needEntries(reader, context, count, 1, 'sample_count');
    return { version, flags, ...aux, defaultSampleInfoSize, sampleCount, entries: readBytes(reader, count) }; // sample_info_size[]
  },
  write(box, writer) {
    writeFullBox(writer, box);
    if (box.flags & 1) writer.fourcc(box.auxInfoType ?? 'cenc').u32(box.auxInfoTypeParameter ?? 0);
    writer.u8(box.defaultSampleInfoSize).u32(box.sampleCount); // default_sample_info_size, sample_count
    if (box.defaultSampleInfoSize === 0) writer.bytes(box.entries); // sample_info_size[]
  },
};

/** `saio` (ISO/IEC 14496-12 8.7.9): where the auxiliary information is (relative to the moof, in fragments). */
export interface SampleAuxiliaryInformationOffsetsBox extends FullBox {
  type: 'saio';
  auxInfoType?: string;
  auxInfoTypeParameter?: number;
  /** Numbers, or a `BigUint64Array` when a version 1 offset is above 2^53 - 1 (exact, see `Uint64Array`). */
  entries: Uint64Array;
}

/* aligned(8) class SampleAuxiliaryInformationOffsetsBox extends FullBox('saio', version, flags) {
 *   if (flags & 1) { unsigned int(32) aux_info_type; unsigned int(32) aux_info_type_parameter; }
 *   unsigned int(32) entry_count;
 *   if ( version == 0 ) { unsigned int(32) offset[ entry_count ]; } else { unsigned int(64) offset[ entry_count ]; } } */
export const saio: BoxDecoder<SampleAuxiliaryInformationOffsetsBox> = {
  type: 'saio',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const aux = flags & 1 ? { auxInfoType: reader.fourcc(), auxInfoTypeParameter: reader.u32() } : {}; // aux_info_type, aux_info_type_parameter
    const count = reader.u32(); // entry_count
    const bytesEach = version === 0 ? 4 : 8;
    needEntries(reader, context, count, bytesEach);
    return { version, flags, ...aux, entries: readUint64Array(reader, count, bytesEach) }; // offset[]
  },
  write(box, writer) {
    writeFullBox(writer, box);
    if (box.flags & 1) writer.fourcc(box.auxInfoType ?? 'cenc').u32(box.auxInfoTypeParameter ?? 0);
    writer.u32(box.entries.length); // entry_count
    for (const offset of box.entries) {
      if (box.version === 0) writer.u32(Number(offset));
      else writer.u64(offset); // offset
    }
  },
};

/** `pssh` (ISO/IEC 23001-7 8.1): a DRM system's data (Widevine, PlayReady...), with the key ids in version 1. */
export interface ProtectionSystemSpecificHeaderBox extends FullBox {
  /** `pssh`, or `uuid` for PIFF's. */
  type: string;
  systemId: string;
  kids?: string[];
  data: Uint8Array;
}

/* aligned(8) class ProtectionSystemSpecificHeaderBox extends FullBox('pssh', version, flags=0) {
 *   unsigned int(8)[16] SystemID; if (version > 0) { unsigned int(32) KID_count; { unsigned int(8)[16] KID; } [KID_count]; }
 *   unsigned int(32) DataSize; unsigned int(8)[DataSize] Data; } */
export function readProtectionSystemHeader(
  reader: ByteReader,
  context: DecodeContext,
): Omit<ProtectionSystemSpecificHeaderBox, keyof Box> {
  const { version, flags } = readFullBox(reader);
  const systemId = toHex(reader.bytesView(16)); // SystemID
  const fields: Omit<ProtectionSystemSpecificHeaderBox, keyof Box> = {
    version,
    flags,
    systemId,
    data: new Uint8Array(0),
  };
  if (version > 0) {
    const count = reader.u32(); // KID_count
    needEntries(reader, context, count, 16, 'KID_count');
    fields.kids = [];
    for (let i = 0; i < count; i++) fields.kids.push(toHex(reader.bytesView(16))); // KID
  }
  const size = reader.u32(); // DataSize
  needEntries(reader, context, size, 1, 'DataSize');
  fields.data = readBytes(reader, size); // Data
  return fields;
}

export function writeProtectionSystemHeader(
  box: ProtectionSystemSpecificHeaderBox,
  writer: ByteWriter,
): void {
  writeFullBox(writer, box);
  writer.hex16(box.systemId); // SystemID
  if (box.version > 0) {
    const kids = box.kids ?? [];
    writer.u32(kids.length); // KID_count
    for (const kid of kids) writer.hex16(kid); // KID
  }
  writer.u32(box.data.length).bytes(box.data); // DataSize, Data
}

export const pssh: BoxDecoder<ProtectionSystemSpecificHeaderBox> = {
  type: 'pssh',
  read: readProtectionSystemHeader,
  write: writeProtectionSystemHeader,
};
