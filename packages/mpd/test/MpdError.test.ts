import { describe, expect, it } from 'vitest';
import { MpdError } from '../src/index.js';

describe('MpdError', () => {
  it('carries a stable code and the element path', () => {
    const error = new MpdError('INVALID_MANIFEST', 'no Period', { path: 'MPD' });
    expect(error.name).toBe('MpdError');
    expect(error.code).toBe('INVALID_MANIFEST');
    expect(error.message).toBe('MPD: no Period');
  });
});
