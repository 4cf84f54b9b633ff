import { open } from 'node:fs/promises';
import type { RecWarning } from '@rec/core';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { MuxWarningCode } from '../MuxWarningCode.js';
import {
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_PCM,
  type WavFormat,
} from './WavFormat.js';

/** Where the PCM samples of a WAV file are, and what they are. */
export interface WavInfo {
  file: string;
  format: WavFormat;
  /** Byte offset of the first sample (just after the `data` chunk header). */
  dataOffset: number;
  /** Bytes of whole sample frames that really exist in the file. */
  dataBytes: number;
  /** Sample frames (one sample per channel). */
  frames: number;
  durationSeconds: number;
  /** The size the `data` chunk header announces (0 or 0xFFFFFFFF for streaming writers). */
  declaredDataBytes: number;
  fileSize: number;
  warnings: RecWarning[];
}

/**
 * KSDATAFORMAT_SUBTYPE_PCM, 00000001-0000-0010-8000-00AA00389B71, as stored
 * (first three fields little-endian). Only its first two bytes carry the
 * format tag; the other 14 are the fixed GUID tail.
 */
const PCM_GUID_TAIL = Uint8Array.of(
  0x00,
  0x00,
  0x00,
  0x00,
  0x10,
  0x00,
  0x80,
  0x00,
  0x00,
  0xaa,
  0x00,
  0x38,
  0x9b,
  0x71,
);

const fourcc = (bytes: Uint8Array, at: number) =>
  String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);

const invalid = (file: string, message: string) =>
  new MuxError(MuxErrorCode.WavInvalid, `${file}: ${message}`, { file });

/**
 * Reads the RIFF/WAVE chunk list of `file` (RIFF chunks: 4-byte id, 4-byte
 * little-endian size, body padded to an even length) up to the `data` chunk,
 * without reading the samples. Accepts PCM (format tag 1) and
 * WAVE_FORMAT_EXTENSIBLE with the PCM subformat; anything else (IEEE float,
 * A-law, ADPCM...) is a `MuxError` `WAV_INVALID` naming the file.
 */
export async function readWavInfo(file: string): Promise<WavInfo> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    throw new MuxError(MuxErrorCode.WavInvalid, `${file}: cannot open (${(cause as Error).message})`, {
      file,
      cause,
    });
  }
  try {
    const fileSize = (await handle.stat()).size;
    const read = async (position: number, length: number): Promise<Uint8Array> => {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await handle.read(bytes, 0, length, position);
      return bytes.subarray(0, bytesRead);
    };

    // RIFF header: "RIFF", riff size (ignored: streaming writers leave it 0 or
    // 0xFFFFFFFF), form type "WAVE".
    const header = await read(0, 12);
    if (header.length < 12) throw invalid(file, `too short for a RIFF header (${fileSize} bytes)`);
    const riff = fourcc(header, 0);
    if (riff === 'RF64' || riff === 'BW64') throw invalid(file, `${riff} (64-bit WAV) is not supported`);
    if (riff !== 'RIFF') throw invalid(file, `not a RIFF file (starts with "${riff}")`);
    if (fourcc(header, 8) !== 'WAVE')
      throw invalid(file, `RIFF form type is "${fourcc(header, 8)}", not "WAVE"`);

    const warnings: RecWarning[] = [];
    let format: WavFormat | undefined;
    let at = 12;
    while (at + 8 <= fileSize) {
      const chunkHeader = await read(at, 8);
      const id = fourcc(chunkHeader, 0);
      const size = new DataView(chunkHeader.buffer, chunkHeader.byteOffset).getUint32(4, true);
      const body = at + 8;
      if (id === 'fmt ') {
        format = parseFmt(file, await read(body, Math.min(size, 40)), at);
      } else if (id === 'data') {
        if (format === undefined)
          throw invalid(file, `"data" chunk at byte ${at} comes before any "fmt " chunk`);
        return dataInfo(file, format, body, size, fileSize, warnings);
      }
      // ckSize excludes the pad byte that keeps every chunk at an even offset.
      at = body + size + (size % 2);
    }
    throw invalid(file, format === undefined ? 'no "fmt " chunk' : 'no "data" chunk');
  } finally {
    await handle.close();
  }
}

/** WAVEFORMATEX (16 or 18 bytes) or WAVEFORMATEXTENSIBLE (40 bytes). */
function parseFmt(file: string, body: Uint8Array, at: number): WavFormat {
  if (body.length < 16) throw invalid(file, `"fmt " chunk at byte ${at} has ${body.length} bytes, needs 16`);
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  const formatTag = view.getUint16(0, true); // wFormatTag
  const channels = view.getUint16(2, true); // nChannels
  const sampleRate = view.getUint32(4, true); // nSamplesPerSec
  // nAvgBytesPerSec (offset 8) is derived; not trusted.
  const blockAlign = view.getUint16(12, true); // nBlockAlign
  const bitsPerSample = view.getUint16(14, true); // wBitsPerSample
  let validBitsPerSample = bitsPerSample;
  let channelMask = 0;
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (body.length < 40)
      throw invalid(file, `WAVE_FORMAT_EXTENSIBLE "fmt " chunk has ${body.length} bytes, needs 40`);
    validBitsPerSample = view.getUint16(18, true) || bitsPerSample; // Samples.wValidBitsPerSample
    channelMask = view.getUint32(20, true); // dwChannelMask
    const subFormat = view.getUint16(24, true); // SubFormat GUID, first field (little-endian)
    const tailMatches = PCM_GUID_TAIL.every((byte, i) => body[26 + i] === byte);
    if (!tailMatches || subFormat !== WAVE_FORMAT_PCM) {
      const kind =
        tailMatches && subFormat === WAVE_FORMAT_IEEE_FLOAT
          ? 'IEEE float'
          : `subformat 0x${subFormat.toString(16)}`;
      throw invalid(file, `WAVE_FORMAT_EXTENSIBLE with ${kind} is not supported: only integer PCM`);
    }
  } else if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    throw invalid(file, 'IEEE float samples (format tag 3) are not supported: only integer PCM');
  } else if (formatTag !== WAVE_FORMAT_PCM) {
    throw invalid(
      file,
      `format tag 0x${formatTag.toString(16)} is not supported: only integer PCM (1) or WAVE_FORMAT_EXTENSIBLE`,
    );
  }
  if (channels === 0) throw invalid(file, 'nChannels is 0');
  if (sampleRate === 0) throw invalid(file, 'nSamplesPerSec is 0');
  if (![8, 16, 24, 32].includes(bitsPerSample)) {
    throw invalid(file, `wBitsPerSample is ${bitsPerSample}, expected 8, 16, 24 or 32`);
  }
  if (validBitsPerSample > bitsPerSample) {
    throw invalid(file, `wValidBitsPerSample ${validBitsPerSample} exceeds wBitsPerSample ${bitsPerSample}`);
  }
  const expectedAlign = (channels * bitsPerSample) / 8;
  if (blockAlign !== expectedAlign) {
    throw invalid(
      file,
      `nBlockAlign is ${blockAlign}, expected ${expectedAlign} for ${channels} ch of ${bitsPerSample} bits`,
    );
  }
  return { formatTag, sampleRate, channels, bitsPerSample, blockAlign, validBitsPerSample, channelMask };
}

function dataInfo(
  file: string,
  format: WavFormat,
  dataOffset: number,
  declaredDataBytes: number,
  fileSize: number,
  warnings: RecWarning[],
): WavInfo {
  const available = fileSize - dataOffset;
  let bytes: number;
  if (declaredDataBytes === 0 || declaredDataBytes === 0xffffffff) {
    // Streaming writers emit the header before they know the length.
    bytes = available;
    if (available > 0) {
      warnings.push({
        code: MuxWarningCode.WavSizeUnset,
        message: `${file}: data chunk size is 0x${declaredDataBytes.toString(16)}; using the ${available} bytes to the end of the file`,
        count: 1,
        source: file,
      });
    }
  } else if (declaredDataBytes > available) {
    bytes = available;
    warnings.push({
      code: MuxWarningCode.WavTruncated,
      message: `${file}: data chunk announces ${declaredDataBytes} bytes but only ${available} exist; using those`,
      count: 1,
      source: file,
    });
  } else {
    bytes = declaredDataBytes;
  }
  const partial = bytes % format.blockAlign;
  if (partial !== 0) {
    warnings.push({
      code: MuxWarningCode.WavPartialFrame,
      message: `${file}: ${partial} trailing bytes do not make a whole ${format.blockAlign}-byte sample frame; ignored`,
      count: 1,
      source: file,
    });
    bytes -= partial;
  }
  const frames = bytes / format.blockAlign;
  return {
    file,
    format,
    dataOffset,
    dataBytes: bytes,
    frames,
    durationSeconds: frames / format.sampleRate,
    declaredDataBytes,
    fileSize,
    warnings,
  };
}
