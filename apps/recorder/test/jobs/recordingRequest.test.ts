import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isTransientFailure,
  type RecordingRequest,
  recordingJobId,
  recordingRequestOf,
  recordingRequestSchema,
} from '../../src/index.js';
import { failedReasonOf, parseFailedReason } from '../../src/jobs/jobFailure.js';
import { withAbsolutePaths } from '../../src/jobs/recordingRequest.js';

const source = {
  type: 's3',
  bucket: 'cams',
  prefix: 'recordings/cam01',
  endpoint: 'http://127.0.0.1:9000',
} as const;
const base: RecordingRequest = { source, start: 1_700_000_000, end: 1_700_000_300, output: '/data/out.mp4' };
/** The same as `record()` options. */
const options = { source, start: base.start, end: base.end, output: base.output };

describe('recordingJobId', () => {
  it('is the SHA-256 hex of what the output depends on: same recording, same id, whatever the field order', () => {
    const id = recordingJobId(base);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const reordered = recordingRequestSchema.parse({
      output: '/data/out.mp4',
      end: '2023-11-14T22:18:20Z', // the same instant as text
      start: 1_700_000_000_000, // and in milliseconds
      source: { endpoint: 'http://127.0.0.1:9000', prefix: '/recordings/cam01/', bucket: 'cams', type: 's3' },
    });
    expect(recordingJobId(reordered)).toBe(id);
    // How, not what: download concurrency, temp dir, resume, ffmpeg do not make another job.
    expect(
      recordingJobId({
        ...base,
        concurrency: 2,
        tempDir: '/scratch',
        resume: false,
        ffmpegPath: 'ffmpeg',
        verify: true,
      }),
    ).toBe(id);
    // The defaults spelled out are the same job.
    expect(recordingJobId({ ...base, format: 'mp4', pad: 0, kinds: ['audio', 'video'], layout: {} })).toBe(
      id,
    );
  });

  it('differs when the source, window, layout, format or output does', () => {
    const id = recordingJobId(base);
    const others = [
      { ...base, source: { ...base.source, prefix: 'recordings/cam02' } },
      { ...base, source: { ...base.source, endpoint: 'http://127.0.0.1:9001' } },
      { ...base, end: base.end + 1 },
      { ...base, pad: 60 },
      { ...base, noTrim: true },
      { ...base, kinds: ['video' as const] },
      { ...base, layout: { video: { directory: 'cam/video' } } },
      { ...base, format: 'ts' as const },
      { ...base, output: '/data/other.mp4' },
    ];
    const ids = new Set(others.map(recordingJobId));
    expect(ids.size).toBe(others.length);
    expect(ids.has(id)).toBe(false);
  });
});

describe('recording requests', () => {
  it('come from record() options without what cannot be a job (streams, clients, credentials)', () => {
    expect(recordingRequestOf({ ...options, start: new Date(1_700_000_000_000) })).toEqual(base);
    expect(() => recordingRequestOf({ ...options, output: process.stdout })).toThrow(
      /cannot write to a stream/,
    );
    expect(() =>
      recordingRequestOf({
        ...options,
        source: { ...source, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
      }),
    ).toThrow(/must not carry them/);
  });

  it('refuse bad fields by name, and take local paths as absolute from the submitter', () => {
    const bad = recordingRequestSchema.safeParse({ ...base, end: base.start, format: 'avi', extra: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join('.') || issue.message).sort()).toEqual(
      ['format', 'Unrecognized key: "extra"'].sort(),
    );
    const local = withAbsolutePaths(
      { ...base, source: { type: 'local', root: 'segments' }, output: 'out/a.ts', tempDir: 'tmp' },
      '/home/me',
    );
    expect(local).toMatchObject({
      source: { root: join('/home/me', 'segments') },
      output: '/home/me/out/a.ts',
      tempDir: '/home/me/tmp',
    });
    expect(withAbsolutePaths({ ...base, output: 's3://out/a.mp4' }, '/x').output).toBe('s3://out/a.mp4');
  });
});

describe('job failures', () => {
  it('retry transient codes (network, S3 5xx and throttling, I/O, a dead process) and fail the rest at once', () => {
    for (const code of ['NETWORK', 'S3_ERROR', 'DOWNLOAD_FAILED', 'UPLOAD_FAILED', 'RECORDER_JOB_CRASHED']) {
      expect(isTransientFailure(code), code).toBe(true);
    }
    for (const code of [
      'BAD_ARGUMENTS',
      'NOTHING_IN_WINDOW',
      'NO_SUCH_BUCKET',
      'ES_INVALID_STREAM',
      'WAV_INVALID',
    ]) {
      expect(isTransientFailure(code), code).toBe(false);
    }
  });

  it('keep their code in the failed reason, as `<message> [<CODE>]`', () => {
    const failure = { code: 'NOTHING_IN_WINDOW', message: 'No segments in s3://cams/x [between] a and b' };
    expect(failedReasonOf(failure)).toBe('No segments in s3://cams/x [between] a and b [NOTHING_IN_WINDOW]');
    expect(parseFailedReason(failedReasonOf(failure))).toEqual(failure);
    // BullMQ's own reasons (a job stalled too often) carry no code.
    expect(parseFailedReason('job stalled more than allowable limit')).toEqual({
      code: 'RECORDER_JOB_CRASHED',
      message: 'job stalled more than allowable limit',
    });
  });
});
