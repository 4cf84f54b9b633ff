import { invalidOption, RecError } from '@rec/core';
import { describe, expect, it } from 'vitest';
import { CliError, CliErrorCode, debugDetails, describeFailure, isOptionError } from '../src/index.js';

class SampleError extends RecError<'SAMPLE_FAILED' | 'SAMPLE_EMPTY'> {
  override readonly name = 'SampleError';
}

describe('describeFailure', () => {
  const options = { app: 'sample', exitCodes: { SAMPLE_EMPTY: 3 } };

  it('prints a rec error as one line with its code, exit 1 unless the app maps the code', () => {
    const failed = describeFailure(new SampleError('SAMPLE_FAILED', 'Could not read x'), options);
    expect(failed).toEqual({
      code: 'SAMPLE_FAILED',
      message: 'Could not read x',
      exitCode: 1,
      line: 'sample: Could not read x [SAMPLE_FAILED]',
      json: { ok: false, error: { code: 'SAMPLE_FAILED', message: 'Could not read x' } },
    });
    expect(describeFailure(new SampleError('SAMPLE_EMPTY', 'Nothing'), options).exitCode).toBe(3);
  });

  it('takes option TypeErrors for bad arguments (exit 2), other TypeErrors for bugs (exit 1)', () => {
    const option = invalidOption('concurrency', 'an integer from 1 and up', 0);
    expect(isOptionError(option)).toBe(true);
    expect(describeFailure(option, options)).toMatchObject({
      code: CliErrorCode.BadArguments,
      exitCode: 2,
      line: 'sample: Expected `concurrency` to be an integer from 1 and up, got `0` (number) [CLI_BAD_ARGUMENTS]',
    });
    const bug = new TypeError('x is not a function');
    expect(isOptionError(bug)).toBe(false);
    expect(describeFailure(bug, options)).toMatchObject({ code: CliErrorCode.Unexpected, exitCode: 1 });
  });

  it('gives the exit code of the signal that stopped the run, whatever error the abort surfaced as', () => {
    const reason = new CliError(CliErrorCode.Interrupted, 'Interrupted (SIGTERM)');
    expect(describeFailure(reason, { ...options, signal: 'SIGTERM' }).exitCode).toBe(143);
    expect(describeFailure(reason, { ...options, signal: 'SIGINT' }).exitCode).toBe(130);
  });

  it('never prints control characters or secrets, in the line or the JSON', () => {
    const error = new SampleError(
      'SAMPLE_FAILED',
      'RIFF\u0000\u0000\u001b]0;owned\u0007 from https://u:pw@h/x',
    );
    const failure = describeFailure(error, options);
    expect(failure.line).toBe('sample: RIFF\\x00\\x00\\e]0;owned\\x07 from https://***@h/x [SAMPLE_FAILED]');
    expect(JSON.stringify(failure.json)).not.toMatch(/\\u00(00|1b|07)|pw/);
  });

  it('shows what is thrown that is no Error', () => {
    expect(describeFailure('plain text', options).line).toBe('sample: plain text [CLI_UNEXPECTED]');
    expect(describeFailure({ reason: 42 }, options).line).toBe('sample: { reason: 42 } [CLI_UNEXPECTED]');
  });
});

describe('debugDetails', () => {
  it('prints the stack, then each cause with its code, and stops at a cycle', () => {
    const inner = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    const outer = new SampleError('SAMPLE_FAILED', 'Could not write', { cause: inner });
    (inner as Error).cause = outer;
    const text = debugDetails(outer);
    expect(text.split('\n')[0]).toBe('SampleError: Could not write [SAMPLE_FAILED]');
    expect(text).toMatch(/^\s+at /m);
    expect(text).toContain('\nCaused by: Error: disk full [ENOSPC]\n');
    expect(text.match(/Could not write/g)).toHaveLength(1);
  });

  it("adds a tool's log kept on the error (ffmpeg's stderr tail), sanitized", () => {
    const error = Object.assign(new SampleError('SAMPLE_FAILED', 'ffmpeg failed: No space left on device'), {
      log: '[mp4 @ 0x1] Error writing trailer\nav_interleaved_write_frame(): No space left on device\u001b[0m',
    });
    const text = debugDetails(error);
    expect(text).toContain(
      '\nLog:\n[mp4 @ 0x1] Error writing trailer\nav_interleaved_write_frame(): No space left on device',
    );
    expect(text).not.toContain('\u001b');
  });

  it('lists the errors of an AggregateError', () => {
    const text = debugDetails(new AggregateError([new Error('one'), 'two'], 'both failed'));
    expect(text).toContain('Error 1 of 2: Error: one');
    expect(text).toContain('Error 2 of 2: two');
  });
});
