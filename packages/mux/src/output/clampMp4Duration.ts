import { open } from 'node:fs/promises';
import { MuxError, MuxErrorCode } from '../MuxError.js';

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

interface Box {
  type: string;
  start: number;
  /** First byte of the body (after size/type/largesize). */
  body: number;
  end: number;
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
  const handle = await open(file, 'r+');
  try {
    const size = (await handle.stat()).size;
    let moov: Box | undefined;
    for (let at = 0; at + 8 <= size && moov === undefined; ) {
      const header = new Uint8Array(16);
      await handle.read(header, 0, 16, at);
      const box = readBoxHeader(header, 0, size - at, file);
      if (box.type === 'moov') moov = { ...box, start: at, body: at + box.body, end: at + box.end };
      at += box.end;
    }
    if (moov === undefined) throw bad(file, 'no moov box');
    const length = moov.end - moov.start;
    if (length > MAX_MOOV_BYTES) throw bad(file, `moov box of ${length} bytes is larger than 1 GiB`);
    const bytes = new Uint8Array(length);
    await handle.read(bytes, 0, length, moov.start);
    const result = clampMoov(bytes, options.maxSeconds, file);
    await handle.write(bytes, 0, length, moov.start);
    return result;
  } finally {
    await handle.close();
  }
}

const bad = (file: string, message: string) =>
  new MuxError(MuxErrorCode.FfmpegFailed, `${file}: ffmpeg wrote an MP4 this step cannot read: ${message}`, {
    file,
  });

/** ISO/IEC 14496-12 4.2: size(32), type(32), largesize(64) when size == 1, size 0 = to the end. */
function readBoxHeader(bytes: Uint8Array, at: number, available: number, file: string): Box {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
  let end = view.getUint32(at);
  let body = 8;
  if (end === 1) {
    end = Number(view.getBigUint64(at + 8));
    body = 16;
  } else if (end === 0) {
    end = available;
  }
  if (end < body || end > available)
    throw bad(file, `box "${type}" at +${at} has size ${end}, ${available} bytes left`);
  return { type, start: at, body: at + body, end: at + end };
}

function children(bytes: Uint8Array, parent: Box, file: string): Box[] {
  const boxes: Box[] = [];
  for (let at = parent.body; at + 8 <= parent.end; ) {
    const box = readBoxHeader(bytes, at, parent.end - at, file);
    boxes.push({ ...box, body: box.body, end: box.end });
    at = box.end;
  }
  return boxes;
}

const child = (bytes: Uint8Array, parent: Box, type: string, file: string) =>
  children(bytes, parent, file).find((box) => box.type === type);

function clampMoov(bytes: Uint8Array, maxSeconds: number, file: string): ClampMp4Result {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const moov = readBoxHeader(bytes, 0, bytes.length, file);
  const mvhd = child(bytes, moov, 'mvhd', file);
  if (mvhd === undefined) throw bad(file, 'no moov/mvhd');
  // mvhd (8.2.2): version(8) flags(24), then v1: creation(64) modification(64) timescale(32) duration(64);
  // v0: creation(32) modification(32) timescale(32) duration(32).
  const mvhdV1 = bytes[mvhd.body] === 1;
  const timescale = view.getUint32(mvhd.body + (mvhdV1 ? 20 : 12));
  const mvhdDuration = mvhd.body + (mvhdV1 ? 24 : 16);
  const maxTicks = Math.round(maxSeconds * timescale);

  const tracks: ClampedTrack[] = [];
  let longest = 0;
  for (const trak of children(bytes, moov, file).filter((box) => box.type === 'trak')) {
    const tkhd = child(bytes, trak, 'tkhd', file);
    if (tkhd === undefined) throw bad(file, 'trak without tkhd');
    // tkhd (8.3.2): v1: creation(64) modification(64) track_ID(32) reserved(32) duration(64);
    // v0: creation(32) modification(32) track_ID(32) reserved(32) duration(32).
    const tkhdV1 = bytes[tkhd.body] === 1;
    const trackId = view.getUint32(tkhd.body + (tkhdV1 ? 20 : 12));
    const tkhdDuration = tkhd.body + (tkhdV1 ? 28 : 20);
    const mdia = child(bytes, trak, 'mdia', file);
    const hdlr = mdia && child(bytes, mdia, 'hdlr', file);
    // hdlr (8.4.3): version/flags(32) pre_defined(32) handler_type(32).
    const handler = hdlr ? String.fromCharCode(...bytes.subarray(hdlr.body + 8, hdlr.body + 12)) : '';
    const edts = child(bytes, trak, 'edts', file);
    const elst = edts && child(bytes, edts, 'elst', file);
    let duration: number;
    let clamped = false;
    if (elst === undefined) {
      duration = readUint(view, tkhdDuration, tkhdV1);
    } else {
      // elst (8.6.6): version/flags(32) entry_count(32), then per entry v1: segment_duration(64)
      // media_time(64) media_rate(32); v0: segment_duration(32) media_time(32) media_rate(32).
      const elstV1 = bytes[elst.body] === 1;
      const count = view.getUint32(elst.body + 4);
      const entrySize = elstV1 ? 20 : 12;
      if (elst.body + 8 + count * entrySize > elst.end)
        throw bad(file, `elst announces ${count} entries, box too small`);
      const entries = Array.from({ length: count }, (_, i) => elst.body + 8 + i * entrySize);
      let sum = 0;
      for (const entry of entries) sum += readUint(view, entry, elstV1);
      // Shorten from the last edit backwards until the track fits.
      for (let i = entries.length - 1; i >= 0 && sum > maxTicks; i--) {
        const entry = entries[i] as number;
        const current = readUint(view, entry, elstV1);
        const next = Math.max(0, current - (sum - maxTicks));
        writeUint(view, entry, elstV1, next); // segment_duration
        sum -= current - next;
        clamped = true;
      }
      duration = sum;
      writeUint(view, tkhdDuration, tkhdV1, duration); // duration: sum of the edits (8.3.2)
    }
    longest = Math.max(longest, duration);
    tracks.push({ trackId, handler, durationSeconds: duration / timescale, clamped });
  }
  writeUint(view, mvhdDuration, mvhdV1, longest); // duration: the longest track (8.2.2)
  return { durationSeconds: longest / timescale, tracks };
}

const readUint = (view: DataView, at: number, wide: boolean) =>
  wide ? Number(view.getBigUint64(at)) : view.getUint32(at);

function writeUint(view: DataView, at: number, wide: boolean, value: number): void {
  if (wide) view.setBigUint64(at, BigInt(value));
  else view.setUint32(at, value);
}
