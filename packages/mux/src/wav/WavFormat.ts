/**
 * The PCM format of a WAV file, from its `fmt ` chunk (WAVEFORMATEX /
 * WAVEFORMATEXTENSIBLE, Microsoft "Multimedia Programming Interface and Data
 * Specifications 1.0", 1991, and the WAVEFORMATEXTENSIBLE addendum).
 */
export interface WavFormat {
  /** 1 (WAVE_FORMAT_PCM) or 0xFFFE (WAVE_FORMAT_EXTENSIBLE with the PCM subformat). */
  formatTag: number;
  sampleRate: number;
  channels: number;
  /** Container size of one sample in bits (8, 16, 24, 32). */
  bitsPerSample: number;
  /** Bytes per sample frame (all channels): channels * bitsPerSample / 8. */
  blockAlign: number;
  /** wValidBitsPerSample of WAVE_FORMAT_EXTENSIBLE (equals bitsPerSample otherwise). */
  validBitsPerSample: number;
  /** dwChannelMask of WAVE_FORMAT_EXTENSIBLE (0 otherwise: no speaker positions). */
  channelMask: number;
}

export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Two chunks can be joined when their sample frames are interchangeable. */
export function sameWavFormat(a: WavFormat, b: WavFormat): boolean {
  return (
    a.sampleRate === b.sampleRate &&
    a.channels === b.channels &&
    a.bitsPerSample === b.bitsPerSample &&
    a.validBitsPerSample === b.validBitsPerSample &&
    a.blockAlign === b.blockAlign
  );
}

/** `48000 Hz, 2 ch, s16le`: the way users read a format in ffprobe. */
export function describeWavFormat(format: WavFormat): string {
  const sample = format.bitsPerSample === 8 ? 'u8' : `s${format.bitsPerSample}le`;
  const valid =
    format.validBitsPerSample !== format.bitsPerSample ? ` (${format.validBitsPerSample} valid bits)` : '';
  return `${format.sampleRate} Hz, ${format.channels} ch, ${sample}${valid}`;
}

/** The byte value of digital silence: 0x80 for unsigned 8-bit PCM, 0 otherwise. */
export const silenceByte = (format: WavFormat): number => (format.bitsPerSample === 8 ? 0x80 : 0);
