import { rename, rm } from 'node:fs/promises';

/** Where work in progress is written: `<output>.part`, renamed to `output` once complete. */
export const partPath = (output: string): string => `${output}.part`;

/** Renames the finished `<output>.part` to `output`. */
export const commitPart = (output: string): Promise<void> => rename(partPath(output), output);

/** Removes `<output>.part` after a failure; never throws. */
export const discardPart = (output: string): Promise<void> =>
  rm(partPath(output), { force: true }).catch(() => undefined);
