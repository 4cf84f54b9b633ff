import { createReadStream } from 'node:fs';
import type { WavInfo } from '../wav/readWavInfo.js';
import type { WavFormat } from '../wav/WavFormat.js';

/** PCM samples readable by sample range: a WAV file, or WAV chunks joined on the fly (`planWavJoin`). */
export interface PcmSource {
  format: WavFormat;
  /** Sample frames (one sample per channel). */
  samples: number;
  /** For error messages: the file, or what the samples come from. */
  name: string;
  /** Interleaved little-endian PCM of sample frames [from, to); a consumer may keep each block. */
  read(from: number, to: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

/** The samples of one WAV file. */
export function wavFileSource(info: WavInfo): PcmSource {
  const { format } = info;
  return {
    format,
    samples: info.frames,
    name: info.file,
    async *read(from, to, signal) {
      if (to <= from) return;
      yield* createReadStream(info.file, {
        start: info.dataOffset + from * format.blockAlign,
        end: info.dataOffset + to * format.blockAlign - 1,
        signal,
      }) as AsyncIterable<Uint8Array>;
    },
  };
}
