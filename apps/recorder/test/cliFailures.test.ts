/**
 * How the recorder CLI classifies what its run can throw, with the real
 * error classes (in-process: @rec/cli's describeFailure is what runCli prints).
 */
import { describeFailure } from '@rec/cli';
import { S3SegmentsError } from '@rec/s3-segments';
import { describe, expect, it } from 'vitest';
import { legacyConfigSchema, RecorderError, RecorderErrorCode } from '../src/index.js';

const recorder = { app: 'recorder', exitCodes: { BAD_ARGUMENTS: 2, BAD_CONFIG: 2, NOTHING_IN_WINDOW: 3 } };

describe('recorder failures', () => {
  it('takes a zod error at the edge for bad arguments: exit 2, one line naming every field', () => {
    const parsed = legacyConfigSchema.safeParse({ start_utc: 1, s3_prefix: '', aws_conf: {} });
    expect(parsed.success).toBe(false);
    const failure = describeFailure(parsed.error, recorder);
    expect(failure.exitCode).toBe(2);
    expect(failure.code).toBe('CLI_BAD_ARGUMENTS');
    expect(failure.line).toMatch(
      /^recorder: end_utc: .*; s3_prefix: .*; aws_conf\.aws_region: .*; aws_conf\.s3_bucket: .* \[CLI_BAD_ARGUMENTS\]$/,
    );
  });

  it("maps the recorder's codes to its exit codes, and a library's to 1", () => {
    const exit = (error: unknown) => describeFailure(error, recorder).exitCode;
    expect(exit(new RecorderError(RecorderErrorCode.NothingInWindow, 'No segments'))).toBe(3);
    expect(exit(new RecorderError(RecorderErrorCode.BadConfig, 'Config x is invalid'))).toBe(2);
    expect(exit(new S3SegmentsError('NO_SUCH_BUCKET', 'Bucket "x" does not exist'))).toBe(1);
  });
});
