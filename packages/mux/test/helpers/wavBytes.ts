/** Hand-built WAV files for the reader tests: every field written here is commented. */
export interface WavSpec {
  formatTag?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  /** WAVE_FORMAT_EXTENSIBLE SubFormat tag (first GUID field); 1 = PCM, 3 = IEEE float. */
  subFormat?: number;
  /** Chunks inserted between `fmt ` and `data` (id, body). */
  extraChunks?: [string, Uint8Array][];
  /** Sample bytes. */
  data: Uint8Array;
  /** Value written in the data ckSize (default: data.length). */
  declaredDataSize?: number;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const u16 = (value: number) => Uint8Array.of(value & 0xff, value >>> 8);
const u32 = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
};
const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

export function wavBytes(spec: WavSpec): Uint8Array {
  const { channels = 1, sampleRate = 8000, bitsPerSample = 16 } = spec;
  const formatTag = spec.formatTag ?? 1;
  const blockAlign = (channels * bitsPerSample) / 8;
  const fmt = [
    u16(formatTag), // wFormatTag
    u16(channels), // nChannels
    u32(sampleRate), // nSamplesPerSec
    u32(sampleRate * blockAlign), // nAvgBytesPerSec
    u16(blockAlign), // nBlockAlign
    u16(bitsPerSample), // wBitsPerSample
  ];
  if (formatTag === 0xfffe) {
    fmt.push(
      u16(22), // cbSize
      u16(bitsPerSample), // wValidBitsPerSample
      u32(channels === 2 ? 0x3 : 0x4), // dwChannelMask: FL|FR or FC
      u16(spec.subFormat ?? 1), // SubFormat GUID data1 (low 16 bits)
      Uint8Array.of(0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71), // rest of the KSDATAFORMAT GUID
    );
  }
  const fmtBody = concat(fmt);
  const chunk = (id: string, body: Uint8Array, declared = body.length) =>
    concat([ascii(id), u32(declared), body, body.length % 2 ? new Uint8Array(1) : new Uint8Array(0)]); // ckID, ckSize, body, pad
  const chunks = concat([
    chunk('fmt ', fmtBody),
    ...(spec.extraChunks ?? []).map(([id, body]) => chunk(id, body)),
    concat([ascii('data'), u32(spec.declaredDataSize ?? spec.data.length), spec.data]),
  ]);
  return concat([ascii('RIFF'), u32(4 + chunks.length), ascii('WAVE'), chunks]); // RIFF ckSize counts "WAVE" + chunks
}

/** `frames` frames of 16-bit mono where every sample is `value`. */
export function constantPcm16(frames: number, value: number): Uint8Array {
  const bytes = new Uint8Array(frames * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < frames; i++) view.setInt16(i * 2, value, true);
  return bytes;
}
