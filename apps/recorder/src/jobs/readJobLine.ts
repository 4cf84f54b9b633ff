import { readFile } from 'node:fs/promises';
import { RecorderError, RecorderErrorCode } from '../RecorderError.js';
import { type RecordingRequest, recordingRequestSchema } from './recordingRequest.js';

/**
 * The array index a batch runner gives the process: AWS Batch array jobs
 * set `AWS_BATCH_JOB_ARRAY_INDEX`, Kubernetes Indexed Jobs
 * `JOB_COMPLETION_INDEX` (both from 0).
 */
export function batchIndexOf(env: NodeJS.ProcessEnv): number | undefined {
  for (const name of ['AWS_BATCH_JOB_ARRAY_INDEX', 'JOB_COMPLETION_INDEX']) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    if (!/^\d+$/.test(text)) {
      throw new RecorderError(
        RecorderErrorCode.BadArguments,
        `Expected ${name} to be an index from 0, got \`${text}\``,
      );
    }
    return Number(text);
  }
  return undefined;
}

const bad = (message: string) => new RecorderError(RecorderErrorCode.BadArguments, message);

/**
 * Line `index` (from 0) of a job file, as a recording request: every line
 * of the file counts (an empty line at `index` is an error, not skipped),
 * so that index N is line N + 1 in an editor. Errors name the file and the
 * line.
 */
export async function readJobLine(file: string, index: number): Promise<RecordingRequest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw bad(`Cannot read the job file ${file}: ${(error as Error).message}`);
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // the newline that ends the last line
  const where = `${file}:${index + 1}`;
  const line = lines[index];
  if (line === undefined) {
    throw bad(`${file} has ${lines.length} line${lines.length === 1 ? '' : 's'}: no index ${index} (from 0)`);
  }
  if (line.trim() === '') throw bad(`${where}: the line is empty`);
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw bad(`${where}: not JSON: ${(error as Error).message}`);
  }
  const parsed = recordingRequestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    );
    throw bad(`${where}: not a recording request: ${problems.join('; ')}`);
  }
  return parsed.data;
}
