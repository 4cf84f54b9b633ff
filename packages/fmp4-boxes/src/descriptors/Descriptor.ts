import type { ByteReader } from '@rec/core';
import type { DecodeContext } from '../BoxDecoder.js';
import { readBytes } from '../read/fields.js';
import { ByteWriter } from '../write/ByteWriter.js';
import { type AudioSpecificConfig, parseAudioSpecificConfig } from './AudioSpecificConfig.js';

/** Descriptor tags (ISO/IEC 14496-1 7.2.2.1). */
export const DescriptorTag = {
  ObjectDescriptor: 0x01,
  InitialObjectDescriptor: 0x02,
  EsDescriptor: 0x03,
  DecoderConfigDescriptor: 0x04,
  DecoderSpecificInfo: 0x05,
  SlConfigDescriptor: 0x06,
  EsIdInc: 0x0e,
  EsIdRef: 0x0f,
  Mp4Iod: 0x10,
  Mp4Od: 0x11,
} as const;

/** Any MPEG-4 descriptor (14496-1 7.2.2.2 BaseDescriptor): where it is and its size. */
export interface Descriptor {
  tag: number;
  /** Absolute offset of the tag byte. */
  offset: number;
  /** The tag and the size bytes (2 to 5: writers pad the size to 4 bytes). */
  headerSize: number;
  /** Payload bytes after the header. */
  payloadSize: number;
}

/** 14496-1 7.2.6.5 ES_Descriptor. */
export interface EsDescriptor extends Descriptor {
  tag: 0x03;
  esId: number;
  /** streamDependenceFlag (4), URL_Flag (2), OCRstreamFlag (1). */
  flags: number;
  streamPriority: number;
  dependsOn?: number;
  url?: string;
  ocrEsId?: number;
  subDescriptors: Descriptor[];
}

/** 14496-1 7.2.6.6 DecoderConfigDescriptor. */
export interface DecoderConfigDescriptor extends Descriptor {
  tag: 0x04;
  /** 0x40 MPEG-4 audio (AAC), 0x67 MPEG-2 AAC LC, 0x6b MP3, 0x20 MPEG-4 visual... */
  objectTypeIndication: number;
  /** 4 visual, 5 audio. */
  streamType: number;
  upStream: boolean;
  /** The reserved bit after upStream (1 in conforming streams). */
  reserved: number;
  bufferSize: number;
  maxBitrate: number;
  averageBitrate: number;
  subDescriptors: Descriptor[];
}

/** 14496-1 7.2.6.7 DecoderSpecificInfo: the codec's own configuration. */
export interface DecoderSpecificInfoDescriptor extends Descriptor {
  tag: 0x05;
  info: Uint8Array;
  /** For MPEG-4/MPEG-2 AAC (object types 0x40, 0x66-0x68): the parsed AudioSpecificConfig, when it parses. */
  audioSpecificConfig?: AudioSpecificConfig;
}

/** 14496-1 7.3.2.3 SLConfigDescriptor (14496-14 requires predefined = 2). */
export interface SlConfigDescriptor extends Descriptor {
  tag: 0x06;
  predefined: number;
  /** The custom fields when predefined is 0. */
  data: Uint8Array;
}

/** A descriptor this reader does not decode. */
export interface UnknownDescriptor extends Descriptor {
  data: Uint8Array;
}

/** Object types whose DecoderSpecificInfo is an AudioSpecificConfig (14496-1 Table 5). */
const AAC_OBJECT_TYPES = new Set([0x40, 0x66, 0x67, 0x68]);
const MAX_NESTING = 8;

/**
 * The descriptors that fill `reader` (14496-1 7.2.2.3: `bit(8) tag;` then
 * the size in 1 to 4 bytes of 7 bits each, the high bit saying another
 * follows). A payload larger than what is left is `BOX_INVALID`.
 */
export function readDescriptors(
  reader: ByteReader,
  context: DecodeContext,
  objectType?: number,
  depth = 0,
): Descriptor[] {
  const descriptors: Descriptor[] = [];
  while (reader.remaining > 0) descriptors.push(readDescriptor(reader, context, objectType, depth));
  return descriptors;
}

export function readDescriptor(
  reader: ByteReader,
  context: DecodeContext,
  objectType?: number,
  depth = 0,
): Descriptor {
  const offset = reader.offset;
  if (depth >= MAX_NESTING) throw context.fail(`descriptors nested deeper than ${MAX_NESTING}`, { offset });
  const tag = reader.u8(); // tag
  let payloadSize = 0;
  let headerSize = 1;
  for (;;) {
    const byte = reader.u8(); // nextByte, sizeOfInstance
    headerSize++;
    payloadSize = payloadSize * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0 || headerSize === 5) break;
  }
  if (payloadSize > reader.remaining) {
    throw context.fail(`descriptor 0x${tag.toString(16)} of ${payloadSize} bytes, ${reader.remaining} left`, {
      offset,
    });
  }
  const body = reader.sub(payloadSize);
  const base: Descriptor = { tag, offset, headerSize, payloadSize };
  switch (tag) {
    case DescriptorTag.EsDescriptor:
      return readEsDescriptor(base, body, context, depth);
    case DescriptorTag.DecoderConfigDescriptor:
      return readDecoderConfig(base, body, context, depth);
    case DescriptorTag.DecoderSpecificInfo: {
      const info = readBytes(body, body.remaining);
      const descriptor: DecoderSpecificInfoDescriptor = { ...base, tag, info };
      if (objectType !== undefined && AAC_OBJECT_TYPES.has(objectType)) {
        const config = parseAudioSpecificConfig(info);
        if (config) descriptor.audioSpecificConfig = config;
      }
      return descriptor;
    }
    case DescriptorTag.SlConfigDescriptor:
      if (payloadSize === 0) return { ...base, data: new Uint8Array(0) } as UnknownDescriptor;
      return {
        ...base,
        tag,
        predefined: body.u8(),
        data: readBytes(body, body.remaining),
      } as SlConfigDescriptor; // predefined
    default:
      return { ...base, data: readBytes(body, body.remaining) } as UnknownDescriptor;
  }
}

/*
 * class ES_Descriptor extends BaseDescriptor : bit(8) tag=ES_DescrTag {
 *   bit(16) ES_ID; bit(1) streamDependenceFlag; bit(1) URL_Flag; bit(1) OCRstreamFlag; bit(5) streamPriority;
 *   if (streamDependenceFlag) bit(16) dependsOn_ES_ID;
 *   if (URL_Flag) { bit(8) URLlength; bit(8) URLstring[URLlength]; }
 *   if (OCRstreamFlag) bit(16) OCR_ES_Id;
 *   DecoderConfigDescriptor decConfigDescr; SLConfigDescriptor slConfigDescr; ... }
 */
function readEsDescriptor(
  base: Descriptor,
  body: ByteReader,
  context: DecodeContext,
  depth: number,
): EsDescriptor {
  const esId = body.u16(); // ES_ID
  const bits = body.u8(); // streamDependenceFlag, URL_Flag, OCRstreamFlag, streamPriority
  const descriptor: EsDescriptor = {
    ...base,
    tag: 0x03,
    esId,
    flags: bits >> 5,
    streamPriority: bits & 0x1f,
    subDescriptors: [],
  };
  if (bits & 0x80) descriptor.dependsOn = body.u16(); // dependsOn_ES_ID
  if (bits & 0x40) descriptor.url = body.latin1(body.u8()); // URLlength, URLstring
  if (bits & 0x20) descriptor.ocrEsId = body.u16(); // OCR_ES_Id
  descriptor.subDescriptors = readDescriptors(body, context, undefined, depth + 1);
  return descriptor;
}

/*
 * class DecoderConfigDescriptor extends BaseDescriptor : bit(8) tag=DecoderConfigDescrTag {
 *   bit(8) objectTypeIndication; bit(6) streamType; bit(1) upStream; const bit(1) reserved=1;
 *   bit(24) bufferSizeDB; bit(32) maxBitrate; bit(32) avgBitrate;
 *   DecoderSpecificInfo decSpecificInfo[0 .. 1]; profileLevelIndicationIndexDescriptor profileLevelIndicationIndexDescr [0..255]; }
 */
function readDecoderConfig(
  base: Descriptor,
  body: ByteReader,
  context: DecodeContext,
  depth: number,
): DecoderConfigDescriptor {
  const objectTypeIndication = body.u8(); // objectTypeIndication
  const bits = body.u8(); // streamType, upStream, reserved
  return {
    ...base,
    tag: 0x04,
    objectTypeIndication,
    streamType: bits >> 2,
    upStream: (bits & 0x02) !== 0,
    reserved: bits & 0x01,
    bufferSize: body.u24(), // bufferSizeDB
    maxBitrate: body.u32(), // maxBitrate
    averageBitrate: body.u32(), // avgBitrate
    subDescriptors: readDescriptors(body, context, objectTypeIndication, depth + 1),
  };
}

/**
 * Writes descriptors back: each payload first, then the tag and its size
 * in as many bytes as `headerSize` says it had (writers pad the size to 4
 * bytes with 0x80 continuation bits; a larger payload takes what it needs).
 */
export function writeDescriptors(writer: ByteWriter, descriptors: readonly Descriptor[]): void {
  for (const descriptor of descriptors) writeDescriptor(writer, descriptor);
}

function writeDescriptor(writer: ByteWriter, descriptor: Descriptor): void {
  const body = new ByteWriter();
  const d = descriptor as Descriptor & Record<string, unknown>;
  switch (descriptor.tag) {
    case DescriptorTag.EsDescriptor: {
      const es = descriptor as EsDescriptor;
      body.u16(es.esId).u8((es.flags << 5) | es.streamPriority); // ES_ID, flags, streamPriority
      if (es.flags & 0x4) body.u16(es.dependsOn ?? 0); // dependsOn_ES_ID
      if (es.flags & 0x2) {
        const url = es.url ?? '';
        body.u8(url.length); // URLlength
        for (let i = 0; i < url.length; i++) body.u8(url.charCodeAt(i)); // URLstring
      }
      if (es.flags & 0x1) body.u16(es.ocrEsId ?? 0); // OCR_ES_Id
      writeDescriptors(body, es.subDescriptors);
      break;
    }
    case DescriptorTag.DecoderConfigDescriptor: {
      const config = descriptor as DecoderConfigDescriptor;
      body.u8(config.objectTypeIndication); // objectTypeIndication
      body.u8((config.streamType << 2) | (config.upStream ? 2 : 0) | config.reserved); // streamType, upStream, reserved
      body.u24(config.bufferSize).u32(config.maxBitrate).u32(config.averageBitrate); // bufferSizeDB, maxBitrate, avgBitrate
      writeDescriptors(body, config.subDescriptors);
      break;
    }
    case DescriptorTag.DecoderSpecificInfo:
      body.bytes((descriptor as DecoderSpecificInfoDescriptor).info);
      break;
    default:
      if (typeof d.predefined === 'number') body.u8(d.predefined); // SLConfig predefined
      body.bytes(d.data as Uint8Array);
  }
  const size = body.length;
  const needed = size < 0x80 ? 1 : size < 0x4000 ? 2 : size < 0x200000 ? 3 : 4;
  const count = Math.max(needed, (descriptor.headerSize ?? 2) - 1);
  writer.u8(descriptor.tag); // tag
  for (let i = count - 1; i >= 0; i--) writer.u8(((size >> (7 * i)) & 0x7f) | (i > 0 ? 0x80 : 0)); // sizeOfInstance
  writer.bytes(body.toBytes());
}
