import { describe, expect, it } from 'vitest';
import { nextDefaultAccountName } from './default-name';

describe('nextDefaultAccountName', () => {
  it.each([
    [[], 'Account 1'],
    [['Account 1'], 'Account 2'],
    [['Account 2'], 'Account 1'],
    [['account 1', 'Account 2', 'Sales EU'], 'Account 3'],
  ])('%j → %s', (existing, expected) => {
    expect(nextDefaultAccountName(existing)).toBe(expected);
  });
});

describe('nextDefaultAccountName with a base', () => {
  it('numbers the given base the same way', () => {
    expect(nextDefaultAccountName(['Account 1'], 'Fabrikam sandbox')).toBe('Fabrikam sandbox 1');
    expect(nextDefaultAccountName(['fabrikam sandbox 1', 'Account 2'], 'Fabrikam sandbox')).toBe('Fabrikam sandbox 2');
  });
});
