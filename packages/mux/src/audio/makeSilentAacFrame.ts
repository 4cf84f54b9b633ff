import { readFile, rm } from 'node:fs/promises';
import { AAC_FRAME_SAMPLES, readAdts } from '@rec/es-ts';
import { type AdtsFormat, aacChannelLayout, describeAdtsFormat } from '@rec/es-ts/bitstream';
import { runFfmpeg } from '../ffmpeg/runFfmpeg.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';

export interface MakeSilentAacFrameOptions {
  format: AdtsFormat;
  /** Scratch ADTS file for the encoder's output; removed before returning. */
  workFile: string;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/** Frames of silence encoded; the one returned is from the middle, away from priming and flush. */
const SILENT_FRAMES_ENCODED = 8;

/**
 * One ADTS frame (ISO/IEC 13818-7 6.2) of digital silence in `format`, made
 * by ffmpeg's native `aac` encoder from `anullsrc`: frames of silence are
 * independent of what precedes them, so the same bytes can stand for every
 * missing frame. The middle frame of a few is taken (the first is the
 * encoder's priming frame with its `Lavc` fill element, the last its flush).
 * Its ID bit (MPEG-2/MPEG-4) is set to the stream's.
 */
export async function makeSilentAacFrame(options: MakeSilentAacFrameOptions): Promise<Uint8Array> {
  const { format, workFile, signal } = options;
  const layout = aacChannelLayout(format.channelConfiguration);
  if (layout === undefined) {
    throw new MuxError(
      MuxErrorCode.AacInvalid,
      `cannot make silence for ${describeAdtsFormat(format)}: the channels are defined by a ` +
        'program_config_element, which the silence encoder cannot reproduce',
    );
  }
  try {
    await runFfmpeg({
      inputs: [{ source: `anullsrc=r=${format.sampleRate}:cl=${layout}`, options: ['-f', 'lavfi'] }],
      outputs: [
        {
          target: `file:${workFile}`,
          options: [
            ...['-t', `${(SILENT_FRAMES_ENCODED * AAC_FRAME_SAMPLES) / format.sampleRate}`],
            ...['-c:a', 'aac', '-f', 'adts'],
          ],
        },
      ],
      // -y: a work file a killed run left is ours to overwrite.
      globalOptions: ['-y', '-v', 'error'],
      ffmpegPath: options.ffmpegPath,
      signal,
    });
    const frames: Uint8Array[] = [];
    for await (const frame of readAdts(new Uint8Array(await readFile(workFile)))) {
      const { header } = frame;
      if (
        header.samplingFrequencyIndex !== format.samplingFrequencyIndex ||
        header.channelConfiguration !== format.channelConfiguration ||
        header.audioObjectType !== format.audioObjectType
      ) {
        throw new MuxError(
          MuxErrorCode.FfmpegFailed,
          `the AAC encoder made silence in ${describeAdtsFormat({ ...format, ...header })}, ` +
            `asked for ${describeAdtsFormat(format)}`,
        );
      }
      frames.push(frame.bytes);
    }
    const middle = frames[Math.floor(frames.length / 2)];
    if (middle === undefined || frames.length < 3) {
      throw new MuxError(
        MuxErrorCode.FfmpegFailed,
        `the AAC encoder made ${frames.length} frames of silence, expected at least 3`,
      );
    }
    const frame = middle.slice();
    // ID: 0 = MPEG-4, 1 = MPEG-2 (byte 1, bit 3, after the 12-bit syncword)
    frame[1] = ((frame[1] ?? 0) & ~0x08) | (format.mpegVersion === 2 ? 0x08 : 0);
    return frame;
  } finally {
    await rm(workFile, { force: true });
  }
}
