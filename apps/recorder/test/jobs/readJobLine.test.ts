import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchIndexOf, readJobLine } from '../../src/jobs/readJobLine.js';

describe('job files (recorder batch)', () => {
  let dir: TempDir;
  let file: string;
  const line = (output: string) =>
    JSON.stringify({ source: { type: 'local', root: '/segments' }, start: 1, end: 2, output });

  beforeAll(async () => {
    dir = await makeTempDir();
    file = join(dir.path, 'jobs.jsonl');
    await writeFile(file, `${line('a.ts')}\n\n{"start": 1\n${line('d.ts')}\n`);
  });
  afterAll(() => dir.remove());

  it('gives line N (from 0) as a request; every line counts, so index N is line N + 1', async () => {
    expect((await readJobLine(file, 0)).output).toBe('a.ts');
    expect((await readJobLine(file, 3)).output).toBe('d.ts');
  });

  it('names the file and the line of a bad one', async () => {
    await expect(readJobLine(file, 1)).rejects.toMatchObject({
      code: 'BAD_ARGUMENTS',
      message: `${file}:2: the line is empty`,
    });
    await expect(readJobLine(file, 2)).rejects.toThrow(new RegExp(`^${file}:3: not JSON: `));
    await expect(readJobLine(file, 4)).rejects.toThrow(`${file} has 4 lines: no index 4 (from 0)`);
    await expect(readJobLine(join(dir.path, 'none.jsonl'), 0)).rejects.toThrow(/^Cannot read the job file/);
  });

  it('takes the index from AWS Batch, else from a Kubernetes Indexed Job', () => {
    expect(batchIndexOf({ AWS_BATCH_JOB_ARRAY_INDEX: '7', JOB_COMPLETION_INDEX: '3' })).toBe(7);
    expect(batchIndexOf({ JOB_COMPLETION_INDEX: '3' })).toBe(3);
    expect(batchIndexOf({})).toBeUndefined();
    expect(() => batchIndexOf({ JOB_COMPLETION_INDEX: '-1' })).toThrow(
      'Expected JOB_COMPLETION_INDEX to be an index from 0, got `-1`',
    );
  });
});
