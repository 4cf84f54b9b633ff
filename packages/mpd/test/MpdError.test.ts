import { RecError } from '@rec/core';
import { describe, expect, it } from 'vitest';
import { MpdError } from '../src/index.js';

describe('MpdError', () => {
  it('carries a stable code and the element path', () => {
    const error = new MpdError('MPD_INVALID', 'no Period', { path: 'MPD' });
    expect(error).toBeInstanceOf(RecError);
    expect(error.name).toBe('MpdError');
    expect(error.code).toBe('MPD_INVALID');
    expect(error.message).toBe('MPD: no Period');
  });
});
