import { execFile } from 'node:child_process';
import { MuxError, MuxErrorCode } from '../MuxError.js';
import { describeFfmpegFailure } from './describeFfmpegFailure.js';
import { resolveFfprobe } from './resolveBinary.js';

export interface ProbedStream {
  index: number;
  type: string;
  codec: string;
  /** nb_frames from the container, else packets counted by ffprobe (`-count_packets`). */
  frames?: number;
  durationSeconds?: number;
  startSeconds?: number;
  sampleRate?: number;
  channels?: number;
  width?: number;
  height?: number;
}

export interface ProbedRecording {
  file: string;
  formatName: string;
  durationSeconds?: number;
  bytes?: number;
  streams: ProbedStream[];
}

interface RawStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  duration?: string;
  start_time?: string;
  sample_rate?: string;
  channels?: number;
  width?: number;
  height?: number;
}

const num = (value: string | number | undefined): number | undefined => {
  if (value === undefined || value === 'N/A') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
};

/**
 * One ffprobe call (JSON) summarising a finished recording: container
 * duration and, per stream, codec, frames, duration and start. For reports,
 * not for the hot path: it reads every packet header once.
 */
export async function probeRecording(
  file: string,
  options: { ffprobePath?: string; signal?: AbortSignal } = {},
): Promise<ProbedRecording> {
  const ffprobe = resolveFfprobe({ path: options.ffprobePath }).path;
  const args = ['-v', 'error', '-of', 'json', '-count_packets', '-show_format', '-show_streams', file];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(ffprobe, args, { maxBuffer: 64 * 1024 * 1024, signal: options.signal }, (error, out, stderr) => {
      if (options.signal?.aborted) return reject(options.signal.reason);
      if (error) {
        const how = error.signal ? `killed by ${error.signal}` : `exit code ${String(error.code)}`;
        const cause = describeFfmpegFailure(stderr.split(/\r\n|\r|\n/), [file]);
        return reject(
          new MuxError(
            MuxErrorCode.FfprobeFailed,
            `ffprobe failed on ${file} (${how}): ${cause ?? 'no output'}`,
            {
              file,
              cause: error,
              log: stderr.trim(),
            },
          ),
        );
      }
      resolve(out);
    });
  });
  const parsed = JSON.parse(stdout) as {
    format?: { format_name?: string; duration?: string; size?: string };
    streams?: RawStream[];
  };
  const durationSeconds = num(parsed.format?.duration);
  const bytes = num(parsed.format?.size);
  return {
    file,
    formatName: parsed.format?.format_name ?? '',
    durationSeconds,
    bytes,
    streams: (parsed.streams ?? []).map((raw) => {
      const stream: ProbedStream = {
        index: raw.index,
        type: raw.codec_type ?? 'unknown',
        codec: raw.codec_name ?? 'unknown',
      };
      const fields: [keyof ProbedStream, number | undefined][] = [
        ['frames', num(raw.nb_frames) ?? num(raw.nb_read_packets)],
        ['durationSeconds', num(raw.duration)],
        ['startSeconds', num(raw.start_time)],
        ['sampleRate', num(raw.sample_rate)],
        ['channels', num(raw.channels)],
        ['width', num(raw.width)],
        ['height', num(raw.height)],
      ];
      for (const [key, value] of fields)
        if (value !== undefined) (stream as unknown as Record<string, number>)[key] = value;
      return stream;
    }),
  };
}
