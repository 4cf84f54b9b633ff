import { WAVE_FORMAT_EXTENSIBLE, WAVE_FORMAT_PCM, type WavFormat } from './WavFormat.js';

/** The largest `data` payload a RIFF size field (32 bits) can describe with this header in front. */
export const maxWavDataBytes = (format: WavFormat): number => 0xffffffff - (wavHeaderSize(format) - 8);

/** 44 bytes for WAVE_FORMAT_PCM, 68 for WAVE_FORMAT_EXTENSIBLE. */
export const wavHeaderSize = (format: WavFormat): number =>
  format.formatTag === WAVE_FORMAT_EXTENSIBLE ? 68 : 44;

/**
 * A canonical RIFF/WAVE header for `dataBytes` of PCM in `format`: "RIFF",
 * "fmt " (WAVEFORMATEX with cbSize omitted for PCM, WAVEFORMATEXTENSIBLE
 * otherwise) and the `data` chunk header. The caller keeps `dataBytes` even
 * or appends the pad byte.
 */
export function encodeWavHeader(format: WavFormat, dataBytes: number): Uint8Array {
  const extensible = format.formatTag === WAVE_FORMAT_EXTENSIBLE;
  const fmtSize = extensible ? 40 : 16;
  const size = wavHeaderSize(format);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, size - 8 + dataBytes + (dataBytes % 2), true); // ckSize of RIFF: everything after this field
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, fmtSize, true); // ckSize of fmt
  view.setUint16(20, extensible ? WAVE_FORMAT_EXTENSIBLE : WAVE_FORMAT_PCM, true); // wFormatTag
  view.setUint16(22, format.channels, true); // nChannels
  view.setUint32(24, format.sampleRate, true); // nSamplesPerSec
  view.setUint32(28, format.sampleRate * format.blockAlign, true); // nAvgBytesPerSec
  view.setUint16(32, format.blockAlign, true); // nBlockAlign
  view.setUint16(34, format.bitsPerSample, true); // wBitsPerSample
  let at = 36;
  if (extensible) {
    view.setUint16(36, 22, true); // cbSize: bytes of extension that follow
    view.setUint16(38, format.validBitsPerSample, true); // Samples.wValidBitsPerSample
    view.setUint32(40, format.channelMask, true); // dwChannelMask
    // SubFormat: KSDATAFORMAT_SUBTYPE_PCM 00000001-0000-0010-8000-00AA00389B71
    bytes.set(
      [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71],
      44,
    );
    at = 60;
  }
  ascii(at, 'data');
  view.setUint32(at + 4, dataBytes, true); // ckSize of data
  return bytes;
}
