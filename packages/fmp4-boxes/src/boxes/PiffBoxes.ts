import type { ByteReader } from '@rec/core';
import type { Box, FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder, DecodeContext } from '../BoxDecoder.js';
import { needEntries, readFullBox, readUintV, toHex } from '../read/fields.js';
import type { ByteWriter } from '../write/ByteWriter.js';
import { writeFullBox } from '../write/fields.js';
import {
  readProtectionSystemHeader,
  readSampleEncryption,
  writeProtectionSystemHeader,
  writeSampleEncryption,
} from './ProtectionBoxes.js';

/**
 * The `uuid` boxes of Microsoft's PIFF 1.1 (Protected Interoperable File
 * Format) and Smooth Streaming, by usertype. Others stay undecoded, their
 * bodies unread.
 */
export const PiffUsertype = {
  /** Like senc (5.3.2.1). */
  SampleEncryption: 'a2394f525a9b4f14a2446c427c648df4',
  /** The track's default encryption (5.3.1.1). */
  TrackEncryption: '8974dbce7be74c5184f97148f9882554',
  /** Like pssh version 0 (5.3.1.2). */
  ProtectionSystemSpecificHeader: 'd08a4f1810f34a82b6c832d8aba183d3',
  /** Smooth Streaming: the fragment's absolute time and duration. */
  TrackFragmentExtendedHeader: '6d1d9b0542d544e680e2141daff757b2',
  /** Smooth Streaming: the times of the next fragments (live). */
  TrackFragmentReference: 'd4807ef2ca3946958e5426cb9e46a79f',
} as const;

/** PIFF TrackEncryptionBox: `unsigned int(24) default_AlgorithmID; unsigned int(8) default_IV_size; unsigned int(8)[16] default_KID;`. */
export interface PiffTrackEncryptionBox extends FullBox {
  type: 'uuid';
  defaultAlgorithmId: number;
  defaultIvSize: number;
  defaultKid: string;
}

export interface TrackFragmentExtendedHeaderBox extends FullBox {
  type: 'uuid';
  fragmentAbsoluteTime: Uint64;
  fragmentDuration: Uint64;
}

export interface TrackFragmentReferenceBox extends FullBox {
  type: 'uuid';
  fragments: { fragmentAbsoluteTime: Uint64; fragmentDuration: Uint64 }[];
}

type Read = (reader: ByteReader, context: DecodeContext) => object;
// biome-ignore lint/suspicious/noExplicitAny: each writer takes the box its reader made
type Write = (box: any, writer: ByteWriter) => void;

const readers: Record<string, Read> = {
  [PiffUsertype.SampleEncryption]: readSampleEncryption,
  [PiffUsertype.ProtectionSystemSpecificHeader]: readProtectionSystemHeader,
  [PiffUsertype.TrackEncryption](reader, context) {
    const { version, flags } = readFullBox(reader);
    const fields = {
      version,
      flags,
      defaultAlgorithmId: reader.u24(), // default_AlgorithmID
      defaultIvSize: reader.u8(), // default_IV_size
      defaultKid: toHex(reader.bytesView(16)), // default_KID
    };
    const trak = context.ancestors.findLast((box) => box.type === 'trak');
    const tkhd = trak?.children?.find((box) => box.type === 'tkhd') as { trackId?: number } | undefined;
    if (tkhd?.trackId !== undefined) context.notes.set(`ivSize:${tkhd.trackId}`, fields.defaultIvSize);
    return fields;
  },
  // Smooth Streaming tfxd: version 1: unsigned int(64) fragment absolute time, duration; version 0: 32 bits each.
  [PiffUsertype.TrackFragmentExtendedHeader](reader) {
    const { version, flags } = readFullBox(reader);
    return {
      version,
      flags,
      fragmentAbsoluteTime: readUintV(reader, version), // fragment_absolute_time
      fragmentDuration: readUintV(reader, version), // fragment_duration
    };
  },
  // Smooth Streaming tfrf: unsigned int(8) fragment_count, then that many (time, duration) pairs.
  [PiffUsertype.TrackFragmentReference](reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u8(); // fragment_count
    needEntries(reader, context, count, version === 1 ? 16 : 8, 'fragment_count');
    const fragments: TrackFragmentReferenceBox['fragments'] = [];
    for (let i = 0; i < count; i++) {
      fragments.push({
        fragmentAbsoluteTime: readUintV(reader, version),
        fragmentDuration: readUintV(reader, version),
      }); // fragment_absolute_time, fragment_duration
    }
    return { version, flags, fragments };
  },
};

const writers: Record<string, Write> = {
  [PiffUsertype.SampleEncryption]: writeSampleEncryption,
  [PiffUsertype.ProtectionSystemSpecificHeader]: writeProtectionSystemHeader,
  [PiffUsertype.TrackEncryption](box: PiffTrackEncryptionBox, writer) {
    writeFullBox(writer, box);
    writer.u24(box.defaultAlgorithmId).u8(box.defaultIvSize).hex16(box.defaultKid);
  },
  [PiffUsertype.TrackFragmentExtendedHeader](box: TrackFragmentExtendedHeaderBox, writer) {
    writeFullBox(writer, box);
    writer.uintV(box.fragmentAbsoluteTime, box.version).uintV(box.fragmentDuration, box.version);
  },
  [PiffUsertype.TrackFragmentReference](box: TrackFragmentReferenceBox, writer) {
    writeFullBox(writer, box);
    writer.u8(box.fragments.length); // fragment_count
    for (const f of box.fragments)
      writer.uintV(f.fragmentAbsoluteTime, box.version).uintV(f.fragmentDuration, box.version);
  },
};

/** `uuid` boxes whose usertype is one of `PiffUsertype`. */
export const uuid: BoxDecoder<Box> = {
  type: 'uuid',
  accepts: (context) => context.box.usertype !== undefined && context.box.usertype in readers,
  read: (reader, context) => readers[context.box.usertype!]!(reader, context),
  write: (box, writer) => writers[box.usertype!]!(box, writer),
};
