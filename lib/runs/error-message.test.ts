import { describe, expect, it } from 'vitest';
import { errorCode, errorMessage } from './error-message';

describe('errorMessage / errorCode', () => {
  it('reads the engine shape', () => {
    const error = { code: 'create_failed', message: 'Could not create: duplicate' };
    expect(errorMessage(error)).toBe('Could not create: duplicate');
    expect(errorCode(error)).toBe('create_failed');
  });

  it('copes with text, other shapes and nothing', () => {
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ reason: 1 })).toBe('{"reason":1}');
    expect(errorMessage(null)).toBeNull();
    expect(errorMessage(undefined)).toBeNull();
    expect(errorCode('plain')).toBeNull();
    expect(errorCode({ code: 3 })).toBeNull();
  });
});
