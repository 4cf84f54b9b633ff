/** What one ffmpeg status line (`frame=  77 fps=... time=00:00:02.00 bitrate=...`) says. */
export interface FfmpegStatus {
  /** Seconds of output written so far (`time=`). */
  time?: number;
  /** Video frames written so far (`frame=`). */
  frames?: number;
}

const TIME = /\btime=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
const FRAME = /\bframe=\s*(\d+)/;

/** Parses ffmpeg's `-stats` line; `undefined` for any other stderr line. */
export function parseFfmpegStatus(line: string): FfmpegStatus | undefined {
  const time = TIME.exec(line);
  const frame = FRAME.exec(line);
  if (!time && !frame) return undefined;
  const status: FfmpegStatus = {};
  if (time) {
    const [, sign, h = '0', m = '0', s = '0'] = time;
    status.time = (sign === '-' ? -1 : 1) * (Number(h) * 3600 + Number(m) * 60 + Number(s));
  }
  if (frame) status.frames = Number(frame[1]);
  return status;
}
