import { RecError } from '@rec/core';
import { describe, expect, it } from 'vitest';
import { BoxParseError } from '../src/index.js';

describe('BoxParseError', () => {
  it('carries a stable code, the box path and the byte offset', () => {
    const cause = new RangeError('short');
    const error = new BoxParseError('BOX_TRUNCATED', 'needs 4 bytes, 2 left', {
      offset: 0x1f3a,
      path: 'moov/trak[1]/mdia/minf/stbl/stsz',
      cause,
    });
    expect(error).toBeInstanceOf(RecError);
    expect(error.name).toBe('BoxParseError');
    expect(error.code).toBe('BOX_TRUNCATED');
    expect(error.offset).toBe(0x1f3a);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('moov/trak[1]/mdia/minf/stbl/stsz @ 0x1f3a: needs 4 bytes, 2 left');
  });
});
