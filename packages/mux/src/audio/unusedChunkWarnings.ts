import type { RecWarning } from '@rec/core';
import { MuxWarningCode } from '../MuxWarningCode.js';

/** One `CHUNK_OUTSIDE_WINDOW` warning per chunk a timeline plan left unused (a `WarningLog` counts them). */
export function unusedChunkWarnings(
  chunks: readonly { name: string; startTime: number }[],
  unused: readonly number[],
  unit: 'samples' | 'frames',
): RecWarning[] {
  return unused.flatMap((index) => {
    const chunk = chunks[index];
    return chunk === undefined
      ? []
      : [
          {
            code: MuxWarningCode.ChunkOutsideWindow,
            message: `${chunk.name} (start ${chunk.startTime}) contributes no ${unit}: outside the window or fully overlapped`,
            count: 1,
            source: chunk.name,
          },
        ];
  });
}
