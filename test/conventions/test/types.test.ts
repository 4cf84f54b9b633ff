/**
 * One progress type and one warning type across packages (issue 8): every
 * package's progress and warning types are @rec/core's (or extend them), on
 * the same [0, 1] percent scale.
 */
import type { Progress, RecWarning } from '@rec/core';
import type { EsMuxResult } from '@rec/es-ts';
import type { RecordProgress, RecordSummary } from '@rec/recorder';
import type { TransferProgress } from '@rec/s3-segments';
import { describe, expectTypeOf, it } from 'vitest';

describe('shared types', () => {
  it('progress of every package is a core Progress', () => {
    expectTypeOf<TransferProgress>().toExtend<Progress>();
    expectTypeOf<RecordProgress>().toExtend<Progress>();
  });

  it('warnings of every package are core RecWarnings', () => {
    expectTypeOf<EsMuxResult['warnings'][number]>().toExtend<RecWarning>();
    expectTypeOf<RecordSummary['warnings'][number]>().toExtend<Pick<RecWarning, 'code' | 'message'>>();
  });
});
