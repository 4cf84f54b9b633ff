import { ByteRuns } from './ByteRuns.js';
import { TsWriter } from './ts/TsWriter.js';
import { type AudioFrame, Codec } from './types.js';

export interface MuxAudioOptions {
  signal?: AbortSignal;
}

/** Frames per yielded batch: about 1 s of 48 kHz audio. */
const BATCH_FRAMES = 48;

/**
 * AAC (ADTS) frames -> an audio-only MPEG-TS: one PES per frame with its
 * PTS, on PID 0x101 (stream_type 0x0F), the PCR on that PID, PAT/PMT
 * repeated as for video (`TsWriter`).
 */
export async function* muxAudio(
  frames: AsyncIterable<AudioFrame> | Iterable<AudioFrame>,
  options: MuxAudioOptions = {},
): AsyncGenerator<Uint8Array> {
  const { signal } = options;
  // `codec` only names the video stream, and there is none.
  const writer = new TsWriter({ codec: Codec.H264, video: false, audio: true });
  const runs = new ByteRuns();
  let pending = 0;
  for await (const frame of frames) {
    signal?.throwIfAborted();
    runs.add(writer.writeAudio(frame));
    if (++pending === BATCH_FRAMES) {
      yield* runs.take();
      pending = 0;
    }
  }
  yield* runs.take();
}
