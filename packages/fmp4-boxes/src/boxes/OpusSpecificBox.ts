import type { Box } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readBytes } from '../read/fields.js';

/** `dOps` (Encapsulation of Opus in ISO Base Media File Format 4.3.2): the Opus ID header's fields, big-endian. */
export interface OpusSpecificBox extends Box {
  type: 'dOps';
  /** 0. */
  version: number;
  outputChannelCount: number;
  /** Samples (at 48 kHz) to drop from the start of the decoded output. */
  preSkip: number;
  inputSampleRate: number;
  /** Q7.8 dB. */
  outputGain: number;
  channelMappingFamily: number;
  streamCount?: number;
  coupledCount?: number;
  channelMapping?: Uint8Array;
}

/*
 * class OpusSpecificBox extends Box('dOps') {
 *   unsigned int(8) Version; unsigned int(8) OutputChannelCount; unsigned int(16) PreSkip;
 *   unsigned int(32) InputSampleRate; signed int(16) OutputGain; unsigned int(8) ChannelMappingFamily;
 *   if (ChannelMappingFamily != 0) { unsigned int(8) StreamCount; unsigned int(8) CoupledCount;
 *     unsigned int(8 * OutputChannelCount) ChannelMapping; } }
 */
export const dOps: BoxDecoder<OpusSpecificBox> = {
  type: 'dOps',
  read(reader) {
    const version = reader.u8(); // Version
    const outputChannelCount = reader.u8(); // OutputChannelCount
    const fields: Omit<OpusSpecificBox, keyof Box> = {
      version,
      outputChannelCount,
      preSkip: reader.u16(), // PreSkip
      inputSampleRate: reader.u32(), // InputSampleRate
      outputGain: reader.i16(), // OutputGain
      channelMappingFamily: reader.u8(), // ChannelMappingFamily
    };
    if (fields.channelMappingFamily !== 0) {
      fields.streamCount = reader.u8(); // StreamCount
      fields.coupledCount = reader.u8(); // CoupledCount
      fields.channelMapping = readBytes(reader, outputChannelCount); // ChannelMapping
    }
    return fields;
  },
  write(box, writer) {
    writer.u8(box.version).u8(box.outputChannelCount).u16(box.preSkip).u32(box.inputSampleRate);
    writer.i16(box.outputGain).u8(box.channelMappingFamily); // OutputGain, ChannelMappingFamily
    if (box.channelMappingFamily !== 0) {
      writer
        .u8(box.streamCount ?? 0)
        .u8(box.coupledCount ?? 0)
        .bytes(box.channelMapping ?? new Uint8Array(0));
    }
  },
};
