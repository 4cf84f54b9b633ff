import { describe, expect, it } from 'vitest';
import { BoxParseError } from '../src/index.js';

describe('BoxParseError', () => {
  it('carries a stable code, the box path and the byte offset', () => {
    const error = new BoxParseError('TRUNCATED', 'needs 4 bytes, 2 left', {
      offset: 0x1f3a,
      path: 'moov/trak[1]/mdia/minf/stbl/stsz',
    });
    expect(error.name).toBe('BoxParseError');
    expect(error.code).toBe('TRUNCATED');
    expect(error.offset).toBe(0x1f3a);
    expect(error.message).toBe('moov/trak[1]/mdia/minf/stbl/stsz at 0x1f3a: needs 4 bytes, 2 left');
  });
});
