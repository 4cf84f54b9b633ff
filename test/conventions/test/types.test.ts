/**
 * One progress type and one warning type across packages (issue 8): every
 * package's progress and warning types are @rec/core's (or extend them), on
 * the same [0, 1] percent scale.
 */
import type { LabelledProgress } from '@rec/cli';
import type { Progress, RecWarning } from '@rec/core';
import type {
  DashgetOptions,
  TransferProgress as DashgetTransferProgress,
  DownloadFilesOptions,
  DownloadSummary,
  LiveProgress,
  RecordLiveOptions,
} from '@rec/dashget';
import type { EsMuxResult } from '@rec/es-ts';
import type { Mpd } from '@rec/mpd';
import type { AudioTrack, AudioTrackProgress, WriteProgress } from '@rec/mux';
import type { RecordingJobProgress, RecordOptions, RecordProgress, RecordSummary } from '@rec/recorder';
import type { TransferProgress } from '@rec/s3-segments';
import { describe, expectTypeOf, it } from 'vitest';

/** What a listener is called with. */
type Reported<Listener> = Listener extends (progress: infer P) => void ? P : never;

describe('shared types', () => {
  it('progress of every package is a core Progress', () => {
    expectTypeOf<TransferProgress>().toExtend<Progress>();
    expectTypeOf<WriteProgress>().toExtend<Progress>();
    expectTypeOf<AudioTrackProgress>().toExtend<Progress>();
    expectTypeOf<DashgetTransferProgress>().toExtend<Progress>();
    expectTypeOf<LiveProgress>().toExtend<Progress>();
    expectTypeOf<RecordProgress>().toExtend<Progress>();
    expectTypeOf<RecordingJobProgress>().toExtend<Progress>();
    expectTypeOf<LabelledProgress>().toExtend<Progress>();
  });

  it('the progress listeners of the entry points hear those types', () => {
    expectTypeOf<
      Reported<NonNullable<DashgetOptions['onProgress']>>
    >().toEqualTypeOf<DashgetTransferProgress>();
    expectTypeOf<
      Reported<NonNullable<DownloadFilesOptions['onProgress']>>
    >().toEqualTypeOf<DashgetTransferProgress>();
    expectTypeOf<Reported<NonNullable<RecordLiveOptions['onProgress']>>>().toEqualTypeOf<LiveProgress>();
    expectTypeOf<Reported<NonNullable<RecordOptions['onProgress']>>>().toEqualTypeOf<RecordProgress>();
  });

  it('warnings of every package are core RecWarnings', () => {
    expectTypeOf<EsMuxResult['warnings'][number]>().toExtend<RecWarning>();
    expectTypeOf<Mpd['warnings'][number]>().toExtend<RecWarning>();
    expectTypeOf<AudioTrack['warnings'][number]>().toExtend<RecWarning>();
    expectTypeOf<DownloadSummary['warnings'][number]>().toExtend<RecWarning>();
    expectTypeOf<RecordSummary['warnings'][number]>().toEqualTypeOf<RecWarning>();
  });
});
