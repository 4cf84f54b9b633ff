/**
 * `record()` as a Node service calls it (issue 8): its own S3 client, times
 * as numbers, strings or Dates, the format from the output, one error
 * family, and a way to clean up a job's resume state.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { isRecError } from '@rec/core';
import { readTs, StreamType } from '@rec/es-ts';
import { S3SegmentsError } from '@rec/s3-segments';
import {
  makeAudioSegments,
  makeTempDir,
  makeVideoSegments,
  probe,
  type S3TestServer,
  s3ClientConfig,
  s3rverCredentials,
  startS3Server,
  type TempDir,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseInstant,
  RecorderError,
  type RecordOptions,
  record,
  removeRecordingState,
} from '../src/index.js';
import { FfmpegStep, writeFfmpegWrapper } from './helpers/ffmpegWrapper.js';
import { treeObjects } from './helpers/media.js';

const E0 = 1_700_000_000;
const bucket = 'services';
const prefix = 'recordings/cam31';
const window = { start: E0 + 1.3, end: E0 + 6.7 };

/** The error a promise rejects with (undefined if it resolves). */
const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error as Error & { code?: string },
  );

describe('record() for services', () => {
  let s3: S3TestServer;
  let dir: TempDir;
  let media: string;
  let local: RecordOptions['source'];

  beforeAll(async () => {
    s3 = await startS3Server();
    dir = await makeTempDir();
    media = join(dir.path, 'media');
    await makeVideoSegments({ dir: media, camera: prefix, startEpoch: E0, count: 4 });
    await makeAudioSegments({ dir: media, camera: prefix, startEpoch: E0, count: 4 });
    await s3.createBucket(bucket);
    await s3.putObjects(bucket, await treeObjects(media));
    local = { type: 'local', root: media, prefix };
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
    await dir?.remove();
  });

  it("uses the caller's own S3 client, with a credentials provider, and leaves it usable", async () => {
    let asked = 0;
    const client = new S3Client({
      ...s3ClientConfig(s3.endpoint),
      credentials: async () => {
        asked++;
        return { ...s3rverCredentials };
      },
    });
    try {
      const output = join(dir.path, 'own-client.ts');
      // No AWS_* variables needed: the client brings its own credentials.
      const summary = await record({
        source: { type: 's3', bucket, prefix, client },
        ...window,
        output,
        tempDir: join(dir.path, 'tmp-client'),
      });
      expect(asked).toBeGreaterThan(0);
      expect(summary.segments).toEqual({ video: 4, audio: 4 });
      expect(summary.requests.GetObject).toBe(8);
      expect(summary.retries.total).toBe(0);
      // Not destroyed: the caller's client still answers.
      await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
      expect((await readFile(output)).length).toBeGreaterThan(0);
    } finally {
      client.destroy();
    }
  });

  it('takes times as Unix seconds, milliseconds, ISO-8601 strings and Dates: the same recording', async () => {
    const forms = [
      { start: window.start, end: window.end },
      { start: String(window.start * 1000), end: window.end * 1000 },
      { start: new Date(window.start * 1000).toISOString(), end: '2023-11-14T23:13:26.700+01:00' },
      { start: new Date(window.start * 1000), end: new Date(window.end * 1000) },
    ];
    const outputs: Buffer[] = [];
    for (const [index, times] of forms.entries()) {
      const output = join(dir.path, `times-${index}.ts`);
      const summary = await record({ source: local, ...times, output });
      expect(summary.window).toEqual(window);
      outputs.push(await readFile(output));
    }
    for (const bytes of outputs.slice(1)) expect(bytes.equals(outputs[0] as Buffer)).toBe(true);
    expect(parseInstant(new Date('2023-11-14T22:13:20.500Z'))).toBe(E0 + 0.5);
    expect(parseInstant('1700000000500')).toBe(E0 + 0.5);
  });

  it('names a time it cannot read, with its option, as a RecError', async () => {
    const error = await failure(record({ source: local, start: 'noon', end: window.end, output: 'x.ts' }));
    expect(error).toBeInstanceOf(RecorderError);
    expect(error?.code).toBe('BAD_ARGUMENTS');
    expect(error?.message).toMatch(/^Invalid `start`: Cannot read time "noon": expected Unix seconds/);
    expect((error as Error).cause).toBeInstanceOf(S3SegmentsError);
    const invalidDate = await failure(
      record({ source: local, start: new Date(Number.NaN), end: window.end, output: 'x.ts' }),
    );
    expect(invalidDate?.message).toMatch(/^Invalid `start`: Cannot read time "Invalid Date"/);
    expect(() => parseInstant('2023-11-14T22:13:20')).toThrow(
      expect.objectContaining({ code: 'INVALID_INSTANT', message: expect.stringMatching(/needs a zone/) }),
    );
  });

  it('takes the format from the output when none is given, as the CLI does', async () => {
    const ts = await record({ source: local, ...window, output: join(dir.path, 'inferred.TS') });
    expect(ts.format).toBe('ts');
    const read = await readTs(await readFile(join(dir.path, 'inferred.TS')));
    expect(read.streams.map((stream) => stream.streamType).sort()).toEqual(
      [StreamType.H264, StreamType.AacAdts].sort(),
    );
    const mp4 = await record({ source: local, ...window, output: join(dir.path, 'inferred.mp4') });
    expect(mp4.format).toBe('mp4');
    expect((await probe(join(dir.path, 'inferred.mp4'))).format.format_name).toMatch(/mp4/);
  });

  it('throws only RecErrors for what fails around it: a file where a directory should be', async () => {
    const blocker = join(dir.path, 'blocker');
    await writeFile(blocker, 'a file');
    const temp = await failure(
      record({ source: local, ...window, output: join(dir.path, 'x.ts'), tempDir: join(blocker, 'tmp') }),
    );
    expect(isRecError(temp)).toBe(true);
    expect(temp?.code).toBe('RECORDER_TEMP_DIR');
    expect(temp?.message).toBe(
      `Cannot create the temp dir ${join(blocker, 'tmp')}: not a directory (ENOTDIR)`,
    );
    const ffmpeg = await failure(
      record({
        source: local,
        ...window,
        output: join(dir.path, 'x.mp4'),
        ffmpegPath: join(blocker, 'ffmpeg'),
      }),
    );
    expect(isRecError(ffmpeg)).toBe(true);
    expect(ffmpeg?.code).toBe('FFMPEG_NOT_FOUND');
  });

  describe('a writable stream as the output', () => {
    /** A stream that keeps what it is given. */
    const collector = () => {
      const chunks: Buffer[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      });
      return { stream, bytes: () => Buffer.concat(chunks) };
    };

    it.each(['ts', 'mp4'] as const)(
      '%s: the same bytes as the file output, and the stream ended',
      async (format) => {
        const file = join(dir.path, `file-output.${format}`);
        await record({ source: local, ...window, output: file });
        const target = collector();
        const summary = await record({ source: local, ...window, output: target.stream, format });
        expect(summary).toMatchObject({ output: 'stream', format });
        expect(target.stream.writableFinished).toBe(true);
        expect(target.bytes().equals(await readFile(file))).toBe(true);
        expect(summary.bytes.output).toBe(target.bytes().length);
      },
    );

    it('is left untouched by a failure before the recording is complete', async () => {
      const target = collector();
      const error = await failure(
        record({ source: local, start: E0 + 5000, end: E0 + 5010, output: target.stream }),
      );
      expect(error?.code).toBe('NOTHING_IN_WINDOW');
      expect(target.bytes().length).toBe(0);
      expect(target.stream.destroyed || target.stream.writableEnded).toBe(false);
    });

    it('is destroyed with the error when writing to it fails', async () => {
      const broken = new Writable({
        write(_chunk, _encoding, done) {
          done(new Error('client went away'));
        },
      });
      const error = await failure(record({ source: local, ...window, output: broken, format: 'ts' }));
      expect(error?.message).toBe('client went away');
      expect(broken.destroyed).toBe(true);
    });
  });

  describe('removeRecordingState', () => {
    it('removes the job directories a failed run kept for a resume, and nothing else in the temp dir', async () => {
      const temp = join(dir.path, 'state');
      await mkdir(join(temp, 'rec-recorder-lookalike'), { recursive: true });
      await writeFile(join(temp, 'notes.txt'), 'mine');
      const bin = join(dir.path, 'state-bin');
      await mkdir(bin);
      const failing = await writeFfmpegWrapper(bin, { failOn: FfmpegStep.Encode });
      const options: RecordOptions = {
        source: {
          type: 's3',
          bucket,
          prefix,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          credentials: s3rverCredentials,
        },
        ...window,
        output: join(dir.path, 'state-out.mp4'),
        tempDir: temp,
      };
      // Another job (another window) kept in the same temp dir: not these options' state.
      await record({
        ...options,
        start: E0,
        end: E0 + 2,
        output: join(dir.path, 'other.ts'),
        keepTemp: true,
      });
      const kept = await readdir(temp);
      expect(await failure(record({ ...options, ffmpegPath: failing }))).toMatchObject({
        code: 'FFMPEG_FAILED',
      });
      const [job] = (await readdir(temp)).filter((name) => !kept.includes(name));
      expect(job).toMatch(/^rec-recorder-[0-9a-f]{16}$/);
      expect((await readdir(join(temp, job ?? '', 'segments'))).sort()).toEqual(['audio', 'video']);

      const removed = await removeRecordingState(options);
      expect(removed).toEqual({ removed: [join(temp, job ?? '')], busy: [] });
      expect((await readdir(temp)).sort()).toEqual(kept.sort());
      expect(await readFile(join(temp, 'notes.txt'), 'utf8')).toBe('mine');
      // Nothing left to remove the second time.
      expect(await removeRecordingState(options)).toEqual({ removed: [], busy: [] });
      await expect(stat(`${options.output}`)).rejects.toThrow();
    });

    it('leaves the job directory of a run in progress alone', async () => {
      const temp = join(dir.path, 'busy');
      const bin = join(dir.path, 'busy-bin');
      await mkdir(bin);
      const holding = join(bin, 'holding');
      const held = await writeFfmpegWrapper(bin, {
        // Short: the abort stops the run, but the wrapper's sleep holds ffmpeg's pipes until it ends.
        holdAfter: { step: FfmpegStep.Encode, seconds: 3, signalFile: holding },
      });
      const controller = new AbortController();
      const options: RecordOptions = {
        source: local,
        ...window,
        output: join(dir.path, 'busy.mp4'),
        tempDir: temp,
      };
      const running = failure(record({ ...options, ffmpegPath: held, signal: controller.signal }));
      while (
        !(await stat(holding).then(
          () => true,
          () => false,
        ))
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [job] = await readdir(temp);
      expect(await removeRecordingState(options)).toEqual({ removed: [], busy: [join(temp, job ?? '')] });
      controller.abort(new Error('done'));
      expect((await running)?.message).toBe('done');
      expect(await removeRecordingState(options)).toEqual({ removed: [join(temp, job ?? '')], busy: [] });
      expect(await readdir(temp)).toEqual([]);
    });
  });
});
