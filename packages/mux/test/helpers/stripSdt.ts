import { readFile, writeFile } from 'node:fs/promises';

/**
 * Copies a TS without its SDT packets (PID 0x0011, ISO/IEC 13818-1 table 2-3
 * / ETSI EN 300 468). The ffprobe build used here (2023 static) segfaults on
 * the SDT that ffmpeg's mpegts muxer writes; the video/audio packets are
 * untouched, so probing the copy checks the same timestamps.
 */
export async function stripSdt(input: string, output: string): Promise<string> {
  const bytes = new Uint8Array(await readFile(input));
  const kept: Uint8Array[] = [];
  for (let at = 0; at + 188 <= bytes.length; at += 188) {
    const pid = (((bytes[at + 1] ?? 0) & 0x1f) << 8) | (bytes[at + 2] ?? 0); // 13-bit PID after sync byte
    if (pid !== 0x11) kept.push(bytes.subarray(at, at + 188));
  }
  await writeFile(output, Buffer.concat(kept));
  return output;
}
