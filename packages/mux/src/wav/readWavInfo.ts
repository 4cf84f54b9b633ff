import { open } from 'node:fs/promises';
import type { RecWarning } from '@rec/core';
import { formatSeconds } from '../audio/AudioDamage.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { MuxWarningCode } from '../MuxWarningCode.js';
import {
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_PCM,
  type WavFormat,
} from './WavFormat.js';

/** Where the PCM samples of a WAV file are, and what they are. */
/** The highest sample rate we accept (ISO/IEC 23003-3 and every PCM device stop well below). */
const MAX_SAMPLE_RATE = 768_000;

export interface WavInfo {
  file: string;
  /** What messages call it: `options.name`, else `file`. */
  name: string;
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
  /** Bytes the data chunk announces beyond the end of the file (0 unless truncated). */
  missingBytes: number;
  /**
   * Bytes after the data chunk (and its pad byte) that are no RIFF chunk:
   * samples its size does not claim, most likely (0 when the chunks after it
   * are well formed, or the size is unset and the data runs to the end).
   */
  excessBytes: number;
  fileSize: number;
  warnings: RecWarning[];
}

export interface ReadWavInfoOptions {
  /** The name messages and warnings give the file (the recorder's S3 key); default the path. */
  name?: string;
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

const isPrintable = (text: string) => /^[\x20-\x7e]*$/.test(text);

/**
 * A four-character code as a message may show it: quoted when printable,
 * else as hex bytes, so that a garbage file's NULs and control characters
 * never reach a terminal.
 */
const shown = (code: string) =>
  isPrintable(code)
    ? `"${code}"`
    : Array.from(code, (c) => `0x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(' ');

/**
 * Reads the RIFF/WAVE chunk list of `file` (RIFF chunks: 4-byte id, 4-byte
 * little-endian size, body padded to an even length) up to the `data` chunk,
 * without reading the samples. Accepts PCM (format tag 1) and
 * WAVE_FORMAT_EXTENSIBLE with the PCM subformat; anything else (IEEE float,
 * A-law, ADPCM...) is a `MuxError` `WAV_INVALID` naming the file.
 */
export async function readWavInfo(file: string, options: ReadWavInfoOptions = {}): Promise<WavInfo> {
  const name = options.name ?? file;
  const invalid = (message: string) => new MuxError(MuxErrorCode.WavInvalid, `${name}: ${message}`, { file });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    throw new MuxError(MuxErrorCode.WavInvalid, `${name}: cannot open (${(cause as Error).message})`, {
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
    if (header.length < 12) throw invalid(`too short for a RIFF header (${fileSize} bytes)`);
    const riff = fourcc(header, 0);
    if (riff === 'RF64' || riff === 'BW64') throw invalid(`${riff} (64-bit WAV) is not supported`);
    if (riff !== 'RIFF') throw invalid(`not a RIFF file (starts with ${shown(riff)})`);
    if (fourcc(header, 8) !== 'WAVE')
      throw invalid(`RIFF form type is ${shown(fourcc(header, 8))}, not "WAVE"`);

    const warnings: RecWarning[] = [];
    let format: WavFormat | undefined;
    let at = 12;
    while (at + 8 <= fileSize) {
      const chunkHeader = await read(at, 8);
      const id = fourcc(chunkHeader, 0);
      const size = new DataView(chunkHeader.buffer, chunkHeader.byteOffset).getUint32(4, true);
      const body = at + 8;
      if (id === 'fmt ') {
        format = parseFmt(invalid, await read(body, Math.min(size, 40)), at);
      } else if (id === 'data') {
        if (format === undefined) throw invalid(`"data" chunk at byte ${at} comes before any "fmt " chunk`);
        const info = dataInfo(file, name, format, body, size, fileSize, warnings);
        if (info.missingBytes === 0 && size !== 0 && size !== 0xffffffff) {
          info.excessBytes = await unclaimedBytes(read, body + size + (size % 2), fileSize);
          if (info.excessBytes >= format.blockAlign) warnings.push(excessWarning(info));
        }
        return info;
      } else if (!isPrintable(id)) {
        // Not a chunk list: garbage after a RIFF header, or a cut file.
        throw invalid(
          `bytes at ${at} are no RIFF chunk (id ${shown(id)}) and no "data" chunk came before them`,
        );
      }
      // ckSize excludes the pad byte that keeps every chunk at an even offset.
      at = body + size + (size % 2);
    }
    throw invalid(format === undefined ? 'no "fmt " chunk' : 'no "data" chunk');
  } finally {
    await handle.close();
  }
}

/** WAVEFORMATEX (16 or 18 bytes) or WAVEFORMATEXTENSIBLE (40 bytes). */
function parseFmt(invalid: (message: string) => MuxError, body: Uint8Array, at: number): WavFormat {
  if (body.length < 16) throw invalid(`"fmt " chunk at byte ${at} has ${body.length} bytes, needs 16`);
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
      throw invalid(`WAVE_FORMAT_EXTENSIBLE "fmt " chunk has ${body.length} bytes, needs 40`);
    validBitsPerSample = view.getUint16(18, true) || bitsPerSample; // Samples.wValidBitsPerSample
    channelMask = view.getUint32(20, true); // dwChannelMask
    const subFormat = view.getUint16(24, true); // SubFormat GUID, first field (little-endian)
    const tailMatches = PCM_GUID_TAIL.every((byte, i) => body[26 + i] === byte);
    if (!tailMatches || subFormat !== WAVE_FORMAT_PCM) {
      const kind =
        tailMatches && subFormat === WAVE_FORMAT_IEEE_FLOAT
          ? 'IEEE float'
          : `subformat 0x${subFormat.toString(16)}`;
      throw invalid(`WAVE_FORMAT_EXTENSIBLE with ${kind} is not supported: only integer PCM`);
    }
  } else if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    throw invalid('IEEE float samples (format tag 3) are not supported: only integer PCM');
  } else if (formatTag !== WAVE_FORMAT_PCM) {
    throw invalid(
      `format tag 0x${formatTag.toString(16)} is not supported: only integer PCM (1) or WAVE_FORMAT_EXTENSIBLE`,
    );
  }
  if (channels === 0) throw invalid('nChannels is 0');
  // No PCM device or encoder goes past 768 kHz; a mutated rate (2 GHz) would otherwise
  // plan gigabytes of silence for a one-second window (found by bench/reliability).
  if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
    throw invalid(`nSamplesPerSec is ${sampleRate}, expected 1 to ${MAX_SAMPLE_RATE}`);
  }
  if (![8, 16, 24, 32].includes(bitsPerSample)) {
    throw invalid(`wBitsPerSample is ${bitsPerSample}, expected 8, 16, 24 or 32`);
  }
  if (validBitsPerSample > bitsPerSample) {
    throw invalid(`wValidBitsPerSample ${validBitsPerSample} exceeds wBitsPerSample ${bitsPerSample}`);
  }
  const expectedAlign = (channels * bitsPerSample) / 8;
  if (blockAlign !== expectedAlign) {
    throw invalid(
      `nBlockAlign is ${blockAlign}, expected ${expectedAlign} for ${channels} ch of ${bitsPerSample} bits`,
    );
  }
  return { formatTag, sampleRate, channels, bitsPerSample, blockAlign, validBitsPerSample, channelMask };
}

const seconds = (bytes: number, format: WavFormat) =>
  formatSeconds(Math.floor(bytes / format.blockAlign) / format.sampleRate);

function dataInfo(
  file: string,
  name: string,
  format: WavFormat,
  dataOffset: number,
  declaredDataBytes: number,
  fileSize: number,
  warnings: RecWarning[],
): WavInfo {
  const available = fileSize - dataOffset;
  const warn = (code: MuxWarningCode, message: string) =>
    warnings.push({ code, message: `${name}: ${message}`, count: 1, source: name });
  let bytes: number;
  let missingBytes = 0;
  if (declaredDataBytes === 0 || declaredDataBytes === 0xffffffff) {
    // Streaming writers emit the header before they know the length.
    bytes = available;
    if (available > 0) {
      warn(
        MuxWarningCode.WavSizeUnset,
        `data chunk size is 0x${declaredDataBytes.toString(16)}; using the ${available} bytes to the end of the file`,
      );
    }
  } else if (declaredDataBytes > available) {
    bytes = available;
    missingBytes = declaredDataBytes - available;
    warn(
      MuxWarningCode.WavTruncated,
      `data chunk announces ${declaredDataBytes} bytes (${seconds(declaredDataBytes, format)}) but only ` +
        `${available} exist (${seconds(available, format)}); using those, ${seconds(missingBytes, format)} missing`,
    );
  } else {
    bytes = declaredDataBytes;
  }
  const partial = bytes % format.blockAlign;
  if (partial !== 0) {
    warn(
      MuxWarningCode.WavPartialFrame,
      `${partial} trailing bytes do not make a whole ${format.blockAlign}-byte sample frame; ignored`,
    );
    bytes -= partial;
  }
  const frames = bytes / format.blockAlign;
  return {
    file,
    name,
    format,
    dataOffset,
    dataBytes: bytes,
    frames,
    durationSeconds: frames / format.sampleRate,
    declaredDataBytes,
    missingBytes,
    excessBytes: 0,
    fileSize,
    warnings,
  };
}

/**
 * Bytes from `at` (just after the data chunk and its pad byte) to the end of
 * the file that are not a run of well-formed RIFF chunks (printable id, body
 * inside the file): a `LIST` or `id3 ` chunk after the samples is normal, a
 * data size smaller than the samples that follow it is not.
 */
async function unclaimedBytes(
  read: (position: number, length: number) => Promise<Uint8Array>,
  at: number,
  fileSize: number,
): Promise<number> {
  let position = at;
  while (position + 8 <= fileSize) {
    const header = await read(position, 8);
    const size = new DataView(header.buffer, header.byteOffset).getUint32(4, true);
    const end = position + 8 + size;
    if (!isPrintable(fourcc(header, 0)) || end > fileSize) break;
    position = end + (size % 2 === 1 && end < fileSize ? 1 : 0);
  }
  return Math.max(0, fileSize - position);
}

function excessWarning(info: WavInfo): RecWarning {
  return {
    code: MuxWarningCode.WavExcessData,
    message:
      `${info.name}: data chunk announces ${info.declaredDataBytes} bytes (${seconds(info.declaredDataBytes, info.format)}) ` +
      `but ${info.excessBytes} more bytes (${seconds(info.excessBytes, info.format)}) follow it that are no RIFF chunk; ignored`,
    count: 1,
    source: info.name,
  };
}
