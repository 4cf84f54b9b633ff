/**
 * What one ffmpeg status line says, in the forms ffmpeg 4.x to 7.x print:
 * `frame=  77 fps=0.0 q=-1.0 size=     256kB time=00:00:02.00 bitrate=... speed=53.5x`
 * (6.x: `KiB`; 7.x adds `elapsed=0:00:01.02`; `time=N/A` and `size=N/A` when unknown).
 */
export interface FfmpegStatus {
  /**
   * Seconds of output written so far (`time=`). With `-copyts`, ffmpeg 5.x
   * and later count it from whatever they first reported (a 20-s mux said
   * 0.08 s at its end with 5.1): do not take it as the output's timestamp.
   */
  time?: number;
  /** Video frames written so far (`frame=`). */
  frames?: number;
  /** Bytes of output written so far (`size=`, `Lsize=` on the last line). */
  bytes?: number;
}

const TIME = /\btime=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const FRAME = /\bframe=\s*(\d+)/;
const SIZE = /\bL?size=\s*(\d+(?:\.\d+)?)\s*([kKMG]i?B|[kmg]B|B)\b/;
const UNIT: Record<string, number> = {
  B: 1,
  kB: 1024, // ffmpeg's "kB" has always been 1024 bytes; 6.x renamed it KiB
  KiB: 1024,
  kiB: 1024,
  mB: 1024 ** 2,
  MB: 1024 ** 2,
  MiB: 1024 ** 2,
  gB: 1024 ** 3,
  GB: 1024 ** 3,
  GiB: 1024 ** 3,
};

/** Parses ffmpeg's `-stats` line; `undefined` for any other stderr line. */
export function parseFfmpegStatus(line: string): FfmpegStatus | undefined {
  const time = TIME.exec(line);
  const frame = FRAME.exec(line);
  const size = SIZE.exec(line);
  if (!time && !frame && !(size && /\bspeed=/.test(line))) return undefined;
  const status: FfmpegStatus = {};
  if (time) {
    const [, sign, h = '0', m = '0', s = '0'] = time;
    status.time = (sign === '-' ? -1 : 1) * (Number(h) * 3600 + Number(m) * 60 + Number(s));
  }
  if (frame) status.frames = Number(frame[1]);
  if (size) status.bytes = Math.round(Number(size[1]) * (UNIT[size[2] as string] ?? 1));
  return status;
}
