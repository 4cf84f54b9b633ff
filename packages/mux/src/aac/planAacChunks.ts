import { AAC_FRAME_SAMPLES } from '@rec/es-ts';

/**
 * Samples of the stream before its first real one in ffmpeg's native AAC
 * encoder output (`initial_padding` of libavcodec/aacenc.c): its first frame
 * has PTS -1024, and each later frame starts 1024 samples after the previous.
 */
export const AAC_PRIMING_SAMPLES = AAC_FRAME_SAMPLES;

/**
 * Frames a chunk's encoder sees before its first kept frame. The encoder's
 * psychoacoustic model and rate control carry state from frame to frame, and
 * a chunk's frames match a single encoder's only once that state has caught
 * up. ffmpeg 4.1 (the bundled build) catches up within 32 frames (0.68 s at
 * 48 kHz: on 420 s of stereo split at a transient, SNR within 0.1 dB of one
 * process around the seam; with 2 to 8 frames, 9 dB worse). Debian's 5.1
 * takes much longer: on 31 s of a 440 Hz tone with a beep each second in 3
 * chunks, the whole stream's SNR against the source was 26.73 dB with 32
 * frames, 27.31 with 128, 28.01 with 256, 29.05 with 384 and 29.06 with 512
 * (83% of the decoded samples identical to one process), one process 29.11;
 * 4.1: 37.01 with 512 (one process 36.97). 512 frames (10.9 s at 48 kHz)
 * cost a chunk of a 420 s two-core encode 5% more.
 */
export const AAC_PREROLL_FRAMES = 512;

/**
 * Seconds of audio an encoder of a chunk after the first starts before the
 * samples it keeps (`AAC_PREROLL_FRAMES` at `sampleRate`): where its input
 * begins, for a caller that fetches each encoder's audio in turn.
 */
export function aacPrerollSeconds(sampleRate: number): number {
  return (AAC_PREROLL_FRAMES * AAC_FRAME_SAMPLES) / sampleRate;
}

/** Frames encoded after a chunk's last kept frame, so that frame's encoder has the audio that overlaps it. */
export const AAC_POSTROLL_FRAMES = 2;

/** Below this, splitting costs more (encoder start-up, pre-roll) than it saves. */
export const MIN_AAC_CHUNK_SECONDS = 10;

export interface AacChunk {
  /** Input samples [inputFrom, inputTo) fed to this chunk's encoder. */
  inputFrom: number;
  inputTo: number;
  /** Output frames kept from this chunk: those whose PTS (in samples) is in [keepFrom, keepTo). */
  keepFrom: number;
  keepTo: number;
}

export interface PlanAacChunksOptions {
  /** Sample frames of the whole input. */
  samples: number;
  sampleRate: number;
  /** Encoders to run at once. */
  parallelism: number;
}

/**
 * Splits one AAC encode into chunks that separate encoders can run at the
 * same time and whose frames, concatenated, form one stream with the frame
 * grid of a single encoder: seams fall on multiples of 1024 samples, the
 * first chunk keeps the priming frame (PTS -1024), the last keeps the
 * encoder's flush frames, and every chunk but the first starts encoding
 * `AAC_PREROLL_FRAMES` early so its first kept frame is coded as if the
 * encoder had run from the start.
 */
export function planAacChunks(options: PlanAacChunksOptions): AacChunk[] {
  const { samples, sampleRate, parallelism } = options;
  const frames = Math.ceil(samples / AAC_FRAME_SAMPLES);
  const byLength = Math.floor(samples / sampleRate / MIN_AAC_CHUNK_SECONDS);
  const count = Math.max(1, Math.min(Math.floor(parallelism), byLength, frames));
  const seams: number[] = [];
  for (let k = 1; k < count; k++) seams.push(Math.round((frames * k) / count) * AAC_FRAME_SAMPLES);
  const chunks: AacChunk[] = [];
  for (let k = 0; k < count; k++) {
    const keepFrom = k === 0 ? -AAC_PRIMING_SAMPLES : (seams[k - 1] as number);
    const keepTo = k === count - 1 ? Number.POSITIVE_INFINITY : (seams[k] as number);
    chunks.push({
      inputFrom: k === 0 ? 0 : Math.max(0, keepFrom - AAC_PREROLL_FRAMES * AAC_FRAME_SAMPLES),
      inputTo:
        k === count - 1 ? samples : Math.min(samples, keepTo + AAC_POSTROLL_FRAMES * AAC_FRAME_SAMPLES),
      keepFrom,
      keepTo,
    });
  }
  return chunks;
}
