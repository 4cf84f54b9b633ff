const units = ['B', 'kB', 'MB', 'GB', 'TB'];

/** `1234567` -> `1.2 MB` (SI, as ffmpeg and the AWS CLI print sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
