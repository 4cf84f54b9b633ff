import type { ByteReader } from '@rec/core';
import type { Box, BoxFields } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { sameBytes } from '../read/fields.js';
import type { ByteWriter } from '../write/ByteWriter.js';
import { inStsd, readSampleEntry, type SampleEntry, writeSampleEntry } from './SampleEntry.js';

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/**
 * `rtp ` in `stsd` (ISO/IEC 14496-12 9.1.2.2): the sample entry of an RTP
 * hint track, as `ffmpeg -movflags rtphint` and MP4Box `-hint` write it;
 * its children (`tims` and the optional `tsro`, `snro`) follow.
 */
export interface RtpHintSampleEntry extends SampleEntry {
  type: 'rtp ';
  hintTrackVersion: number;
  highestCompatibleVersion: number;
  maxPacketSize: number;
  children?: Box[];
}

/* class RtpHintSampleEntry() extends SampleEntry ('rtp ') { uint(16) hinttrackversion = 1;
 *   uint(16) highestcompatibleversion = 1; uint(32) maxpacketsize; box additionaldata[]; } */
export const rtpHintSampleEntry: BoxDecoder<RtpHintSampleEntry> = {
  type: 'rtp ',
  container: true,
  accepts: inStsd,
  read(reader) {
    return {
      ...readSampleEntry(reader),
      hintTrackVersion: reader.u16(), // hinttrackversion
      highestCompatibleVersion: reader.u16(), // highestcompatibleversion
      maxPacketSize: reader.u32(), // maxpacketsize
    };
  },
  write(box, writer) {
    writeSampleEntry(writer, box);
    writer.u16(box.hintTrackVersion).u16(box.highestCompatibleVersion).u32(box.maxPacketSize);
  },
};

/** `tims` (ISO/IEC 14496-12 9.1.2.2): the RTP timescale of a hint track. */
export interface RtpTimescaleBox extends Box {
  type: 'tims';
  timescale: number;
}

/* class timescaleentry() extends Box('tims') { uint(32) timescale; } */
export const tims: BoxDecoder<RtpTimescaleBox> = {
  type: 'tims',
  read: (reader) => ({ timescale: reader.u32() }), // timescale
  write(box, writer) {
    writer.u32(box.timescale); // timescale
  },
};

/** Text up to its NUL, and its bytes as read when the text does not encode back to them (a NUL, padding, invalid UTF-8). */
interface HintText {
  text: string;
  textBytes?: Uint8Array;
}

/** UTF-8 up to the first NUL (the C string Bento4 and the hinters read). */
function textOf(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return utf8.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function readText(reader: ByteReader): HintText {
  const bytes = reader.bytesView(reader.remaining);
  const fields: HintText = { text: textOf(bytes) };
  if (!sameBytes(utf8Encoder.encode(fields.text), bytes)) fields.textBytes = bytes.slice();
  return fields;
}

function writeText(writer: ByteWriter, box: HintText): void {
  const raw = box.textBytes;
  // The bytes as read, while `text` is still what they decode to.
  writer.bytes(raw && textOf(raw) === box.text ? raw : utf8Encoder.encode(box.text));
}

/** `sdp ` (ISO/IEC 14496-12 9.1.4.2, in a track's `udta/hnti`): the track's SDP lines. */
export interface SdpBox extends Box, HintText {
  type: 'sdp ';
}

/* class rtptracksdphintinformation extends Box('sdp ') { char sdptext[]; } */
export const sdp: BoxDecoder<SdpBox> = {
  type: 'sdp ',
  read: (reader) => readText(reader) as BoxFields<SdpBox>,
  write: (box, writer) => writeText(writer, box),
};

/** `rtp ` in the movie's `udta/hnti` (ISO/IEC 14496-12 9.1.4.1): the session-level SDP. */
export interface RtpMovieHintInformationBox extends Box, HintText {
  type: 'rtp ';
  /** `sdp `: the only one defined. */
  descriptionFormat: string;
}

/* class rtpmoviehintinformation extends Box('rtp ') { uint(32) descriptionformat = 'sdp '; char sdptext[]; } */
const rtpMovieHintInformation: BoxDecoder<RtpMovieHintInformationBox> = {
  type: 'rtp ',
  read: (reader) => ({ descriptionFormat: reader.fourcc(), ...readText(reader) }), // descriptionformat, sdptext
  write(box, writer) {
    writer.fourcc(box.descriptionFormat); // descriptionformat
    writeText(writer, box);
  },
};

/** `hnti` (ISO/IEC 14496-12 9.1.4, in a `udta`): hint information, its `rtp ` the movie's (not a sample entry). */
export const hnti: BoxDecoder = {
  type: 'hnti',
  container: true,
  childDecoder: (type) => (type === 'rtp ' ? rtpMovieHintInformation : undefined),
};
