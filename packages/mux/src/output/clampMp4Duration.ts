import { open } from 'node:fs/promises';
import { openFileSource } from '@rec/core/node';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import {
  type BoxErrorFactory,
  boxReader,
  childBox,
  childBoxes,
  findTopLevelBox,
  type IsoBox,
} from '../mp4/isoBoxes.js';

/** One track of the MP4 after clamping. */
export interface ClampedTrack {
  trackId: number;
  /** `vide`, `soun`... (hdlr handler_type). */
  handler: string;
  /** Presentation duration: the sum of the edit list (or tkhd duration without one). */
  durationSeconds: number;
  /** Whether the edit list was shortened. */
  clamped: boolean;
}

export interface ClampMp4Result {
  /** mvhd duration after clamping. */
  durationSeconds: number;
  tracks: ClampedTrack[];
}

const MAX_MOOV_BYTES = 1 << 30;

/**
 * Shortens the presentation of every track of a (faststart or not) MP4 to
 * at most `maxSeconds`, in place, by editing fixed-size fields only: the
 * last edits of `moov/trak/edts/elst` (segment_duration), `tkhd` duration
 * (derived from the edits, ISO/IEC 14496-12 8.3.2) and `mvhd` duration (the
 * longest track, 8.2.2). No sample is removed: stream copy keeps the
 * reference frames a decoder needs (a P-frame after `end` that B-frames
 * before it refer to), and the edit list hides them.
 */
export async function clampMp4Duration(
  file: string,
  options: { maxSeconds: number },
): Promise<ClampMp4Result> {
  const onError = unreadable(file);
  const moov = await readMoov(file, onError);
  const result = clampMoov(moov.bytes, moov.offset, options.maxSeconds, onError);
  await writeAt(file, moov.bytes, moov.offset);
  return result;
}

/** Reads the top-level `moov` of `file` into memory (box headers only up to it). */
export async function readMoov(
  file: string,
  onError: BoxErrorFactory = unreadable(file),
): Promise<{ offset: number; bytes: Uint8Array }> {
  const source = await openFileSource(file);
  try {
    const found = await findTopLevelBox(source, 'moov', { onError });
    if (found === undefined) throw onError({ path: '', offset: 0, message: 'no moov box' });
    if (found.size > MAX_MOOV_BYTES)
      throw onError({ path: 'moov', offset: found.offset, message: `${found.size} bytes, above 1 GiB` });
    return { offset: found.offset, bytes: await source.read(found.offset, found.offset + found.size) };
  } finally {
    await source.close();
  }
}

/** Writes `bytes` back over the same range of `file`. */
export async function writeAt(file: string, bytes: Uint8Array, offset: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(bytes, 0, bytes.length, offset);
  } finally {
    await handle.close();
  }
}

/** Errors about an MP4 that ffmpeg wrote and this package cannot read. */
export const unreadable =
  (file: string): BoxErrorFactory =>
  ({ path, offset, message }) =>
    new MuxError(
      MuxErrorCode.FfmpegFailed,
      `${file}: ffmpeg wrote an MP4 this step cannot read: ${path || '(top level)'} at 0x${offset.toString(16)}: ${message}`,
      { file },
    );

/** The moov box of `bytes` (the moov alone, read from `offset` of its file). */
export function moovBox(bytes: Uint8Array, offset: number, onError: BoxErrorFactory): IsoBox {
  const reader = boxReader(bytes, { baseOffset: offset, onError });
  const [moov] = childBoxes({ type: '', path: '', offset, size: bytes.length, body: reader }, onError);
  if (moov?.type !== 'moov') throw onError({ path: '', offset, message: 'no moov box' });
  return moov;
}

/** A version 0 (32-bit) or 1 (64-bit) unsigned field of `box` (at `at` in its body, else where its reader is). */
function readUint(box: IsoBox, wide: boolean, at?: number): number {
  if (at !== undefined) box.body.seek(at);
  return wide ? box.body.u64Number() : box.body.u32();
}

function writeUint(box: IsoBox, at: number, wide: boolean, value: number): void {
  const view = new DataView(box.body.bytes.buffer, box.body.bytes.byteOffset, box.body.length);
  if (wide) view.setBigUint64(at, BigInt(value));
  else view.setUint32(at, value);
}

function clampMoov(
  bytes: Uint8Array,
  offset: number,
  maxSeconds: number,
  onError: BoxErrorFactory,
): ClampMp4Result {
  const moov = moovBox(bytes, offset, onError);
  const need = (box: IsoBox | undefined, type: string, parent: IsoBox) => {
    if (box === undefined) throw onError({ path: parent.path, offset: parent.offset, message: `no ${type}` });
    return box;
  };
  const mvhd = need(childBox(moov, 'mvhd', onError), 'mvhd', moov);
  // mvhd (8.2.2): version(8) flags(24), then v1: creation(64) modification(64) timescale(32) duration(64);
  // v0: creation(32) modification(32) timescale(32) duration(32).
  const mvhdV1 = mvhd.body.u8() === 1; // version
  mvhd.body.skip(3 + (mvhdV1 ? 16 : 8)); // flags, creation_time, modification_time
  const timescale = mvhd.body.u32(); // timescale
  const mvhdDuration = mvhd.body.position; // duration
  const maxTicks = Math.round(maxSeconds * timescale);

  const tracks: ClampedTrack[] = [];
  let longest = 0;
  for (const trak of childBoxes(moov, onError).filter((box) => box.type === 'trak')) {
    const tkhd = need(childBox(trak, 'tkhd', onError), 'tkhd', trak);
    // tkhd (8.3.2): v1: creation(64) modification(64) track_ID(32) reserved(32) duration(64);
    // v0: creation(32) modification(32) track_ID(32) reserved(32) duration(32).
    const tkhdV1 = tkhd.body.u8() === 1; // version
    tkhd.body.skip(3 + (tkhdV1 ? 16 : 8)); // flags, creation_time, modification_time
    const trackId = tkhd.body.u32(); // track_ID
    tkhd.body.skip(4); // reserved
    const tkhdDuration = tkhd.body.position; // duration
    const mdia = childBox(trak, 'mdia', onError);
    const hdlr = mdia && childBox(mdia, 'hdlr', onError);
    // hdlr (8.4.3): version/flags(32) pre_defined(32) handler_type(32).
    const handler = hdlr ? hdlr.body.skip(8).fourcc() : '';
    const edts = childBox(trak, 'edts', onError);
    const elst = edts && childBox(edts, 'elst', onError);
    let duration: number;
    let clamped = false;
    if (elst === undefined) {
      duration = readUint(tkhd, tkhdV1);
    } else {
      // elst (8.6.6): version/flags(32) entry_count(32), then per entry v1: segment_duration(64)
      // media_time(64) media_rate(32); v0: segment_duration(32) media_time(32) media_rate(32).
      const elstV1 = elst.body.u8() === 1; // version
      elst.body.skip(3); // flags
      const count = elst.body.u32(); // entry_count
      const entrySize = elstV1 ? 20 : 12;
      elst.body.need(count * entrySize);
      const entries = Array.from({ length: count }, (_, i) => 8 + i * entrySize);
      const segmentDuration = (entry: number) => readUint(elst, elstV1, entry); // segment_duration
      let sum = 0;
      for (const entry of entries) sum += segmentDuration(entry);
      // Shorten from the last edit backwards until the track fits.
      for (let i = entries.length - 1; i >= 0 && sum > maxTicks; i--) {
        const entry = entries[i] as number;
        const current = segmentDuration(entry);
        const next = Math.max(0, current - (sum - maxTicks));
        writeUint(elst, entry, elstV1, next); // segment_duration
        sum -= current - next;
        clamped = true;
      }
      duration = sum;
      writeUint(tkhd, tkhdDuration, tkhdV1, duration); // duration: sum of the edits (8.3.2)
    }
    longest = Math.max(longest, duration);
    tracks.push({ trackId, handler, durationSeconds: duration / timescale, clamped });
  }
  writeUint(mvhd, mvhdDuration, mvhdV1, longest); // duration: the longest track (8.2.2)
  return { durationSeconds: longest / timescale, tracks };
}
