/**
 * Causes ffmpeg reports, most decisive first: what the user must fix (the
 * disk, the mount, the permissions, a missing file), then what is wrong with
 * an input. ffmpeg prints them as `<file>: <cause>` (4.x to 7.x:
 * `file:/out.mp4.part: Read-only file system`) or after a function name
 * (`av_interleaved_write_frame(): No space left on device`), and then its
 * own summary (`Conversion failed!`), which says nothing; the cause can be
 * 1 to 19 lines above the last one.
 */
const CAUSES = [
  'No space left on device',
  'Disk quota exceeded',
  'Read-only file system',
  'Permission denied',
  'No such file or directory',
  'Invalid data found when processing input',
] as const;

/** Whether `line` names one of the causes (worth keeping whenever it comes). */
export const hasKnownCause = (line: string): boolean => CAUSES.some((cause) => line.includes(cause));

/** Lines that say something failed without saying what. */
const NOT_A_CAUSE = /^(Conversion failed!|Exiting normally.*|video:\S+ audio:\S+ .*)$/;

/** What ffmpeg marks as an error in a line of its log. */
const ERROR_LINE =
  /error|invalid|failed|could not|cannot|unable|not found|does not|no such|unknown|unsupported/i;

/** `[mp4 @ 0x55d1c0a2e1c0] ` -> `[mp4] `: the address changes from run to run and says nothing. */
const cleanLine = (line: string) =>
  line
    .replace(/\[([\w:-]+) @ 0x[0-9a-f]+\]\s*/gi, '[$1] ')
    .replace(/\bfile:(?=\/)/g, '')
    .trim();

/**
 * The one line of an ffmpeg failure: the decisive cause it reported and
 * the file it was about, e.g. `No space left on device (/rec/out.mp4.part)`,
 * `/in/a.aac: Invalid data found when processing input`, else its last line
 * that reads like an error, else its last line. `lines` is its stderr
 * (status lines included: 5.x prints an error after a status line without
 * a line break); `files` the paths of its inputs and outputs, to tell which
 * one a cause is about.
 */
export function describeFfmpegFailure(
  lines: readonly string[],
  files: readonly string[],
): string | undefined {
  const cleaned = lines.map(cleanLine).filter((line) => line !== '' && !NOT_A_CAUSE.test(line));
  const paths = files.map((file) => file.replace(/^file:/, '')).filter((file) => file.length > 1);
  for (const cause of CAUSES) {
    const hits = cleaned.filter((line) => line.includes(cause));
    if (hits.length === 0) continue;
    // `<file>: <cause>` says both; otherwise name the file some line with this cause names.
    const exact = hits.find((line) => paths.some((path) => line === `${path}: ${cause}`));
    if (exact !== undefined) return exact;
    const path = paths.find((file) => hits.some((line) => line.includes(file)));
    return path === undefined ? cause : `${cause} (${path})`;
  }
  const about = cleaned.filter((line) => paths.some((path) => line.startsWith(`${path}: `)));
  return about.at(-1) ?? cleaned.filter((line) => ERROR_LINE.test(line)).at(-1) ?? cleaned.at(-1);
}
