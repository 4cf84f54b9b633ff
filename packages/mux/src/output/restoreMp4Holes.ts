import { TS_CLOCK } from '@rec/es-ts';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { childBox, childBoxes, type IsoBox } from '../mp4/isoBoxes.js';
import { moovBox, readMoov, unreadable, writeAt } from './clampMp4Duration.js';
import { MP4_MAX_SAMPLE_DELTA } from './planVideoTimescale.js';

/** A hole taken out of the video on its way through ffmpeg (see `TsHoleCompressor`). */
export interface RemovedHole {
  /** 0-based decode-order index of the first video sample after the hole. */
  sample: number;
  /** 90 kHz ticks taken out before it. */
  removed: number;
}

/**
 * Gives the video track of an MP4 that ffmpeg wrote from a compressed TS
 * its holes back, in place, by fixed-size fields only: the sample_delta of
 * the sample before each hole (stts, ISO/IEC 14496-12 8.6.1.2), the media
 * duration (mdhd, 8.4.2) and the last edit's segment_duration (elst, 8.6.6;
 * `clampMp4Duration` then cuts it to the window and derives tkhd and mvhd).
 * Every later sample is then at its real time. The sample before a hole
 * must have an stts entry of its own (the compressor makes each shortened
 * hole a distinct length) and the track must hold `samples` samples, else
 * nothing is written and a `MuxError` says why.
 */
export async function restoreMp4Holes(
  file: string,
  holes: readonly RemovedHole[],
  options: { samples: number },
): Promise<void> {
  if (holes.length === 0) return;
  const onError = unreadable(file);
  const moov = await readMoov(file, onError);
  const root = moovBox(moov.bytes, moov.offset, onError);
  const fail = (message: string) =>
    new MuxError(MuxErrorCode.FfmpegFailed, `${file}: cannot put the video holes back: ${message}`, { file });
  const find = (box: IsoBox | undefined, type: string) => {
    const found = box && childBox(box, type, onError);
    if (found === undefined) throw fail(`no ${box?.path ?? ''}/${type}`);
    return found;
  };

  const mvhd = find(root, 'mvhd');
  const mvhdV1 = mvhd.body.u8() === 1; // version
  mvhd.body.skip(3 + (mvhdV1 ? 16 : 8)); // flags, creation_time, modification_time
  const movieTimescale = mvhd.body.u32(); // timescale

  const trak = childBoxes(root, onError).find((box) => {
    if (box.type !== 'trak') return false;
    const hdlr = childBox(find(box, 'mdia'), 'hdlr', onError);
    return hdlr?.body.skip(8).fourcc() === 'vide'; // pre_defined, handler_type (8.4.3)
  });
  if (trak === undefined) throw fail('no video track');
  const mdia = find(trak, 'mdia');
  const mdhd = find(mdia, 'mdhd');
  // mdhd (8.4.2): version(8) flags(24), creation/modification (32 or 64 each), timescale(32), duration(32 or 64).
  const mdhdV1 = mdhd.body.u8() === 1; // version
  mdhd.body.skip(3 + (mdhdV1 ? 16 : 8)); // flags, creation_time, modification_time
  const timescale = mdhd.body.u32(); // timescale
  const mdhdDuration = mdhd.body.position; // duration
  const stts = find(find(find(mdia, 'minf'), 'stbl'), 'stts');
  stts.body.skip(4); // version, flags
  const entries = stts.body.u32(); // entry_count
  stts.body.need(entries * 8);

  const toTrack = (ticks: number) => (ticks * timescale) / TS_CLOCK;
  const patches: { at: number; delta: number }[] = [];
  let total = 0;
  let sample = 0;
  let next = 0;
  for (let i = 0; i < entries; i++) {
    const at = stts.body.position;
    const count = stts.body.u32(); // sample_count
    const delta = stts.body.u32(); // sample_delta
    for (; next < holes.length && (holes[next] as RemovedHole).sample - 1 < sample + count; next++) {
      const hole = holes[next] as RemovedHole;
      if (hole.sample - 1 < sample || count !== 1) {
        throw fail(
          `sample ${hole.sample - 1} (before a hole) shares stts entry ${i} with ${count - 1} other(s)`,
        );
      }
      // Not always whole ticks: a hole over 26.5 h also holds 2^33-tick wraps, and the first sample
      // after it was rounded onto the track's grid by ffmpeg from where the TS put it. Rounding the
      // sum gives the true delta back (both ends were on the grid before the hole was taken out).
      const restored = Math.round(delta + toTrack(hole.removed));
      if (restored > MP4_MAX_SAMPLE_DELTA) {
        throw fail(
          `a hole of ${(hole.removed / TS_CLOCK).toFixed(3)} s does not fit one sample at ${timescale} Hz`,
        );
      }
      patches.push({ at: at + 4, delta: restored });
      total += hole.removed;
    }
    sample += count;
  }
  if (sample !== options.samples) {
    throw fail(`the video track has ${sample} samples, the TS had ${options.samples} access units`);
  }
  if (next < holes.length) throw fail(`no sample ${(holes[next] as RemovedHole).sample - 1}`);

  const view = (box: IsoBox) =>
    new DataView(box.body.bytes.buffer, box.body.bytes.byteOffset, box.body.length);
  for (const { at, delta } of patches) view(stts).setUint32(at, delta); // sample_delta
  const addTo = (box: IsoBox, at: number, wide: boolean, value: number) => {
    const fields = view(box);
    const now = wide ? Number(fields.getBigUint64(at)) : fields.getUint32(at);
    if (!wide && now + value > 0xffff_ffff) throw fail(`${box.path} duration would not fit 32 bits`);
    if (wide) fields.setBigUint64(at, BigInt(now + value));
    else fields.setUint32(at, now + value);
  };
  addTo(mdhd, mdhdDuration, mdhdV1, Math.round(toTrack(total))); // duration (media)

  const elst = find(find(trak, 'edts'), 'elst');
  // elst (8.6.6): version(8) flags(24) entry_count(32), entries of segment_duration(32|64) media_time(32|64) rate(32).
  const elstV1 = elst.body.u8() === 1; // version
  elst.body.skip(3); // flags
  const edits = elst.body.u32(); // entry_count
  if (edits === 0) throw fail('empty video edit list');
  const lastEdit = 8 + (edits - 1) * (elstV1 ? 20 : 12);
  elst.body.seek(lastEdit).need(elstV1 ? 20 : 12);
  addTo(elst, lastEdit, elstV1, Math.round((total * movieTimescale) / TS_CLOCK)); // segment_duration

  await writeAt(file, moov.bytes, moov.offset);
}
