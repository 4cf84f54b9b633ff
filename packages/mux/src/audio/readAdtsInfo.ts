import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { RecWarning } from '@rec/core';
import { type AdtsFrame, EsParseError, EsWarningCode, readAdts } from '@rec/es-ts';
import {
  ADTS_HEADER_BYTES,
  type AdtsFormat,
  aacObjectTypeName,
  describeAdtsFormat,
  hasAdtsSyncword,
  readAdtsHeader,
} from '@rec/es-ts/bitstream';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { AudioDamageReason } from './AudioDamage.js';

/** What an ADTS file holds, read without keeping its frames. */
export interface AdtsInfo {
  file: string;
  /** What messages call it: `options.name`, else `file`. */
  name: string;
  format: AdtsFormat;
  /** ADTS frames used (1024 samples each: one raw_data_block per frame), all before `cut`. */
  frames: number;
  /** Byte offset of the first frame (bytes before it are skipped: `ADTS_GARBAGE`). */
  dataOffset: number;
  /** Bytes of the frames used: they fill [dataOffset, dataOffset + bytes) back to back. */
  bytes: number;
  fileSize: number;
  /**
   * Why the frames stop before the end of the file, when they do: its last
   * frame is cut (`truncated`), or bytes after the first frames are no frames
   * of the same stream (`invalid`). The frames after that point are not used.
   */
  cut?: {
    reason: typeof AudioDamageReason.Truncated | typeof AudioDamageReason.Invalid;
    offset: number;
    what: string;
  };
  /** Leading bytes skipped (`ADTS_GARBAGE`); once per kind, with the count. */
  warnings: RecWarning[];
}

export interface ReadAdtsInfoOptions {
  /** The name messages and warnings give the file (the recorder's S3 key); default the path. */
  name?: string;
  signal?: AbortSignal;
}

/** AAC LC: the Audio Object Type (ISO/IEC 14496-3 Table 1.17) a chunk must carry. */
export const AAC_LC_OBJECT_TYPE = 2;

/** Reads files in blocks of this size: memory does not grow with the file. */
export const ADTS_READ_BLOCK = 1 << 16;

/** Opens `file` as a stream of ADTS frames (es-ts `readAdts`), with read errors that name the file. */
export async function* readAdtsFrames(
  file: string,
  options: {
    name?: string;
    signal?: AbortSignal | undefined;
    onWarning?: (warning: RecWarning) => void;
  } = {},
): AsyncGenerator<AdtsFrame, void, undefined> {
  const { signal, onWarning } = options;
  const name = options.name ?? file;
  try {
    yield* readAdts(createReadStream(file, { highWaterMark: ADTS_READ_BLOCK }), {
      signal,
      onWarning: (warning) =>
        onWarning?.({
          code: warning.code,
          message: `${name}: ${warning.message}`,
          count: warning.count,
          source: name,
        }),
    });
  } catch (error) {
    if (error instanceof EsParseError) {
      // EsParseError's message starts with "at byte N (0xN): ...".
      throw new MuxError(MuxErrorCode.AacInvalid, `${name}: not an ADTS AAC stream: ${error.message}`, {
        file,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Streams through an ADTS file (ISO/IEC 13818-7 6.2). The first frame must
 * be AAC LC with one raw_data_block() (1024 samples), else (or when the file
 * holds no frame) a `MuxError` `AAC_INVALID` names the file and the byte
 * offset. The frames that follow it back to back with the same format are
 * counted; the first thing that is not such a frame (garbage, another
 * format, several raw data blocks, a last frame cut short) ends them, and
 * `cut` says what and where. Bytes before the first frame are skipped with
 * a warning.
 */
export async function readAdtsInfo(file: string, options: ReadAdtsInfoOptions = {}): Promise<AdtsInfo> {
  const name = options.name ?? file;
  let format: AdtsFormat | undefined;
  let frames = 0;
  let dataOffset = 0;
  let end = 0;
  let cut: AdtsInfo['cut'];
  const readerWarnings: RecWarning[] = [];
  const handle = await open(file, 'r').catch((cause: unknown) => {
    throw new MuxError(MuxErrorCode.AacInvalid, `${name}: cannot open (${(cause as Error).message})`, {
      file,
      cause,
    });
  });
  try {
    const fileSize = (await handle.stat()).size;
    const reader = readAdtsFrames(file, {
      name,
      signal: options.signal,
      onWarning: (w) => readerWarnings.push(w),
    });
    for await (const frame of reader) {
      const { header } = frame;
      const where = `${name} at byte ${frame.offset} (frame ${frames})`;
      if (format === undefined) {
        if (header.audioObjectType !== AAC_LC_OBJECT_TYPE) {
          throw new MuxError(
            MuxErrorCode.AacInvalid,
            `${where}: expected AAC LC (audio object type 2), got ${aacObjectTypeName(header.audioObjectType)} ` +
              `(audio object type ${header.audioObjectType})`,
            { file },
          );
        }
        if (header.rawDataBlocks !== 1)
          throw new MuxError(MuxErrorCode.AacInvalid, rawBlocks(where, header.rawDataBlocks), { file });
        format = {
          audioObjectType: header.audioObjectType,
          sampleRate: header.sampleRate,
          samplingFrequencyIndex: header.samplingFrequencyIndex,
          channelConfiguration: header.channelConfiguration,
          mpegVersion: header.mpegVersion,
        };
        dataOffset = frame.offset;
      } else if (frame.offset !== end) {
        cut = await describeBytesAt(handle, end, fileSize);
        break;
      } else if (
        header.audioObjectType !== format.audioObjectType ||
        header.samplingFrequencyIndex !== format.samplingFrequencyIndex ||
        header.channelConfiguration !== format.channelConfiguration
      ) {
        const now = { ...format, ...header };
        cut = {
          reason: AudioDamageReason.Invalid,
          offset: end,
          what: `the format changes at byte ${end} (frame ${frames}), from ${describeAdtsFormat(format)} to ${describeAdtsFormat(now)}`,
        };
        break;
      } else if (header.rawDataBlocks !== 1) {
        cut = {
          reason: AudioDamageReason.Invalid,
          offset: end,
          what: rawBlocks(`byte ${end} (frame ${frames})`, header.rawDataBlocks),
        };
        break;
      }
      frames += 1;
      end = frame.offset + frame.bytes.length;
    }
    if (format === undefined) {
      // readAdts throws on an input without frames; this is only reached if that changes.
      throw new MuxError(MuxErrorCode.AacInvalid, `${name}: no ADTS frame`, { file });
    }
    if (cut === undefined && end < fileSize) cut = await describeBytesAt(handle, end, fileSize);
    // A cut tail is reported as damage by the join (with the time lost), not as the reader's warning.
    const warnings =
      cut === undefined ? readerWarnings.filter((w) => w.code !== EsWarningCode.AdtsTruncated) : [];
    if (dataOffset > 0 && !warnings.some((w) => w.code === EsWarningCode.AdtsGarbage)) {
      warnings.push({
        code: EsWarningCode.AdtsGarbage,
        message: `${name}: bytes that are not ADTS frames were skipped`,
        count: 1,
        source: name,
      });
    }
    return { file, name, format, frames, dataOffset, bytes: end - dataOffset, fileSize, cut, warnings };
  } finally {
    await handle.close();
  }
}

const rawBlocks = (where: string, blocks: number) =>
  `${where}: ${blocks} raw_data_blocks in one ADTS frame (number_of_raw_data_blocks_in_frame ${blocks - 1}); ` +
  'only one per frame is supported';

/**
 * What the bytes at `at`, where the frames stop, are: a frame cut short by
 * the end of the file (a syncword whose header's aac_frame_length runs past
 * it; the reader may have found a false syncword inside it), or garbage.
 */
async function describeBytesAt(
  handle: FileHandle,
  at: number,
  fileSize: number,
): Promise<NonNullable<AdtsInfo['cut']>> {
  const tail = fileSize - at;
  const bytes = new Uint8Array(Math.min(ADTS_HEADER_BYTES, tail)); // adts_fixed_header + adts_variable_header
  await handle.read(bytes, 0, bytes.length, at);
  const header = readAdtsHeader(bytes, 0);
  // A header cut short: its syncword and layer, fewer than 7 bytes left.
  const cutHeader = header === undefined && tail < ADTS_HEADER_BYTES && hasAdtsSyncword(bytes);
  if ((header !== undefined && header.frameLength > tail) || cutHeader) {
    return {
      reason: AudioDamageReason.Truncated,
      offset: at,
      what:
        header === undefined
          ? `the last frame is cut: ${tail} bytes of its header at byte ${at}`
          : `the last frame is cut: its header at byte ${at} announces ${header.frameLength} bytes, ${tail} exist`,
    };
  }
  return {
    reason: AudioDamageReason.Invalid,
    offset: at,
    what: `the bytes from byte ${at} on are no ADTS frame`,
  };
}
