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
