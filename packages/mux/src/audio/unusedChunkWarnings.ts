import type { MuxWarning } from '../types/MuxWarning.js';
import { MuxWarningCode } from '../types/MuxWarning.js';

/** One `CHUNK_OUTSIDE_WINDOW` warning per chunk a timeline plan left unused. */
export function unusedChunkWarnings(
  chunks: readonly { file: string; startTime: number }[],
  unused: readonly number[],
  unit: 'samples' | 'frames',
): MuxWarning[] {
  return unused.flatMap((index) => {
    const chunk = chunks[index];
    return chunk === undefined
      ? []
      : [
          {
            code: MuxWarningCode.ChunkOutsideWindow,
            message: `${chunk.file} (start ${chunk.startTime}) contributes no ${unit}: outside the window or fully overlapped`,
            file: chunk.file,
          },
        ];
  });
}
