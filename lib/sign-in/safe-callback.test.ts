import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from './safe-callback';

describe('safeCallbackPath', () => {
  it.each([
    [undefined, '/catalog'],
    ['/settings', '/settings'],
    ['/flows?tab=runs', '/flows?tab=runs'],
    ['https://evil.example/phish', '/catalog'],
    ['//evil.example/phish', '/catalog'],
    ['/x/..//evil.example/phish', '/catalog'],
    ['/\\evil.example', '/catalog'],
    ['\\\\evil.example', '/catalog'],
    ['javascript:alert(1)', '/catalog'],
    ['http://local.invalid//evil.example', '/catalog'],
  ])('%s → %s', (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });
});
