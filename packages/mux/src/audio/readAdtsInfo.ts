import { createReadStream } from 'node:fs';
import type { RecWarning } from '@rec/core';
import { type AdtsFrame, EsParseError, readAdts } from '@rec/es-ts';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { type AdtsFormat, aacObjectTypeName, describeAdtsFormat } from './AdtsFormat.js';

/** What an ADTS file holds, read without keeping its frames. */
export interface AdtsInfo {
  file: string;
  format: AdtsFormat;
  /** ADTS frames (1024 samples each: one raw_data_block per frame). */
  frames: number;
  /** Bytes of the frames (garbage and a truncated tail not counted). */
  bytes: number;
  /**
   * The frames fill bytes [0, bytes) of the file, back to back (no garbage
   * before or between them): a whole-chunk copy can copy that range as is.
   */
  contiguous: boolean;
  /** From the reader: skipped garbage, a truncated last frame; once per kind, with the count. */
  warnings: RecWarning[];
}

export interface ReadAdtsInfoOptions {
  signal?: AbortSignal;
}

/** AAC LC: the Audio Object Type (ISO/IEC 14496-3 Table 1.17) a chunk must carry. */
export const AAC_LC_OBJECT_TYPE = 2;

/** Reads files in blocks of this size: memory does not grow with the file. */
export const ADTS_READ_BLOCK = 1 << 16;

/** Opens `file` as a stream of ADTS frames (es-ts `readAdts`), with read errors that name the file. */
export async function* readAdtsFrames(
  file: string,
  options: { signal?: AbortSignal | undefined; onWarning?: (warning: RecWarning) => void } = {},
): AsyncGenerator<AdtsFrame, void, undefined> {
  const { signal, onWarning } = options;
  try {
    yield* readAdts(createReadStream(file, { highWaterMark: ADTS_READ_BLOCK }), {
      signal,
      onWarning: (warning) =>
        onWarning?.({
          code: warning.code,
          message: `${file}: ${warning.message}`,
          count: warning.count,
          source: file,
        }),
    });
  } catch (error) {
    if (error instanceof EsParseError) {
      // EsParseError's message starts with "at byte N (0xN): ...".
      throw new MuxError(MuxErrorCode.AacInvalid, `${file}: not an ADTS AAC stream: ${error.message}`, {
        file,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Streams through an ADTS file (ISO/IEC 13818-7 6.2) and checks that every
 * frame is AAC LC with one raw_data_block() (1024 samples) and the sampling
 * frequency and channel configuration of the first frame. Throws a `MuxError`
 * naming the file and the byte offset otherwise, or when the file holds no
 * valid frame.
 */
export async function readAdtsInfo(file: string, options: ReadAdtsInfoOptions = {}): Promise<AdtsInfo> {
  let format: AdtsFormat | undefined;
  let frames = 0;
  let bytes = 0;
  let contiguous = true;
  const warnings: RecWarning[] = [];
  const reader = readAdtsFrames(file, { signal: options.signal, onWarning: (w) => warnings.push(w) });
  for await (const frame of reader) {
    const { header } = frame;
    const where = `${file} at byte ${frame.offset} (frame ${frames})`;
    if (format === undefined) {
      if (header.audioObjectType !== AAC_LC_OBJECT_TYPE) {
        throw new MuxError(
          MuxErrorCode.AacInvalid,
          `${where}: expected AAC LC (audio object type 2), got ${aacObjectTypeName(header.audioObjectType)} ` +
            `(audio object type ${header.audioObjectType})`,
          { file },
        );
      }
      format = {
        audioObjectType: header.audioObjectType,
        sampleRate: header.sampleRate,
        samplingFrequencyIndex: header.samplingFrequencyIndex,
        channelConfiguration: header.channelConfiguration,
        mpegVersion: header.mpegVersion,
      };
    } else if (
      header.audioObjectType !== format.audioObjectType ||
      header.samplingFrequencyIndex !== format.samplingFrequencyIndex ||
      header.channelConfiguration !== format.channelConfiguration
    ) {
      const now = { ...format, ...header };
      throw new MuxError(
        MuxErrorCode.AacFormatMismatch,
        `${where}: the format changes inside the file, from ${describeAdtsFormat(format)} to ${describeAdtsFormat(now)}`,
        { file },
      );
    }
    if (header.rawDataBlocks !== 1) {
      throw new MuxError(
        MuxErrorCode.AacInvalid,
        `${where}: ${header.rawDataBlocks} raw_data_blocks in one ADTS frame (number_of_raw_data_blocks_in_frame ` +
          `${header.rawDataBlocks - 1}); only one per frame is supported`,
        { file },
      );
    }
    if (frame.offset !== bytes) contiguous = false;
    frames += 1;
    bytes += frame.bytes.length;
  }
  if (format === undefined) {
    // readAdts throws on an input without frames; this is only reached if that changes.
    throw new MuxError(MuxErrorCode.AacInvalid, `${file}: no ADTS frame`, { file });
  }
  return { file, format, frames, bytes, contiguous, warnings };
}
