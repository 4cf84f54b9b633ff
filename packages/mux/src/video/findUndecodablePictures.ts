import { Readable } from 'node:stream';
import { setH264FrameNum } from '@rec/es-ts/bitstream';
import { runFfmpeg } from '../ffmpeg/runFfmpeg.js';
import { MuxError, MuxErrorCode } from '../MuxError.js';

export interface FindUndecodablePicturesOptions {
  /** Explicit ffmpeg binary (else FFMPEG_PATH, PATH, the npm package). */
  ffmpegPath?: string;
  signal?: AbortSignal;
}

/** A probe ffmpeg's decoder could not decode whole. */
export interface UndecodablePicture {
  /** Its index in the probes given. */
  index: number;
  /** What ffmpeg said: `concealing 58 DC, 58 AC, 58 MV errors in P frame`, or why it failed. */
  reason: string;
}

/**
 * What ffmpeg's H.264 decoder logs when a picture's slice data stops short
 * or goes wrong: the error concealment of the macroblocks it could not
 * decode, or the failure itself. The same words in ffmpeg 4.1 to 7.x. A
 * picture decoded without its references logs only about those (`co located
 * POCs unavailable`, `Missing reference picture`), never these.
 */
const DAMAGE_LINE = /concealing \d+ DC, \d+ AC, \d+ MV errors|error while decoding MB/;

/** A batch this small is decoded a probe at a time rather than split again. */
const SINGLES = 3;

/** The line that stopped a run: the batch holds a damaged picture. */
class DamageFound extends Error {}

type Verdict = { clean: true } | { clean: false; reason: string; failure?: MuxError };

/**
 * Which of `probes` (H.264 Annex-B streams that each decode on their own,
 * such as `findLastPicture`'s from `@rec/es-ts/bitstream`) ffmpeg's decoder
 * cannot decode whole, in ascending order. One ffmpeg run decodes them all
 * (it stops at the first damage it reports); only when one reports a
 * damaged picture are the probes split in halves and each half decoded
 * again, down to the damaged ones: about 2 log2(n) runs per damaged probe.
 * The pictures' frame_num is rewritten first (`setH264FrameNum`): without
 * it, ffmpeg skips a P or B picture whose references it cannot stand in for.
 *
 * A probe ffmpeg fails on outright counts as damaged, unless it fails on
 * every probe: then it is ffmpeg (or its set-up) that fails, and its error
 * rejects, as do a missing binary and an abort. H.265 is not supported:
 * ffmpeg's HEVC decoder reads past the end of a cut slice without a word.
 */
export async function findUndecodablePictures(
  probes: readonly Uint8Array[],
  options: FindUndecodablePicturesOptions = {},
): Promise<UndecodablePicture[]> {
  // Each picture gets a frame_num that jumps from the one before it, so that ffmpeg stands in for
  // its missing references (see setH264FrameNum); alternating values never repeat one.
  const prepared = probes.map((probe, index) => setH264FrameNum(probe, index % 2 === 0 ? 4 : 8));
  const damaged: UndecodablePicture[] = [];
  let failed = 0;
  let failure: MuxError | undefined;
  const search = async (from: number, to: number): Promise<void> => {
    if (to <= from) return;
    const verdict = await decode(prepared.slice(from, to), options);
    if (verdict.clean) return;
    if (to - from === 1) {
      damaged.push({ index: from, reason: verdict.reason });
      if (verdict.failure) {
        failed++;
        failure ??= verdict.failure;
      }
      return;
    }
    if (to - from <= SINGLES) {
      for (let index = from; index < to; index++) await search(index, index + 1);
      return;
    }
    const middle = from + Math.floor((to - from) / 2);
    await search(from, middle);
    await search(middle, to);
  };
  await search(0, probes.length);
  if (failure && failed === probes.length) throw failure;
  return damaged;
}

/** Decodes the probes one after the other in one ffmpeg run. */
async function decode(
  probes: readonly Uint8Array[],
  options: FindUndecodablePicturesOptions,
): Promise<Verdict> {
  try {
    await runFfmpeg({
      // One decoding thread: frame threads would only decode several probes at once, for no gain here.
      inputs: [{ source: Readable.from([Buffer.concat(probes)]), options: ['-threads', '1', '-f', 'h264'] }],
      outputs: [{ target: '-', options: ['-f', 'null'] }],
      ffmpegPath: options.ffmpegPath,
      signal: options.signal,
      fatalStderr: DAMAGE_LINE,
      onFatal: (line) => new DamageFound(withoutContext(line)),
    });
    return { clean: true };
  } catch (error) {
    if (error instanceof DamageFound) return { clean: false, reason: error.message };
    if (error instanceof MuxError && error.code === MuxErrorCode.FfmpegFailed) {
      return { clean: false, reason: error.message, failure: error };
    }
    throw error;
  }
}

/** `[h264 @ 0x55d0c8a7e2c0] concealing ...` -> `concealing ...`. */
function withoutContext(line: string): string {
  return line.replace(/^\s*\[[^\]]*\]\s*/, '').trim();
}
