import { OutputFormat } from './RecordOptions.js';

/** The format an output path asks for: `ts` for `.ts`, `.m2ts`, `.mts` (any case), else `mp4`. */
export function inferFormat(output: string): OutputFormat {
  return /\.(ts|m2ts|mts)$/i.test(output) ? OutputFormat.Ts : OutputFormat.Mp4;
}
