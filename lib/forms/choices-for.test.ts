import { describe, expect, it } from 'vitest';
import { choicesFor } from './choices-for';

const status = {
  choicesBy: 'statecode',
  choices: [
    { value: 1, label: 'New', state: 0 },
    { value: 2, label: 'Contacted', state: 0 },
    { value: 3, label: 'Qualified', state: 1 },
    { value: 4, label: 'Lost', state: 2 },
  ],
};
const state = {
  choices: [
    { value: 0, label: 'Open' },
    { value: 1, label: 'Qualified' },
    { value: 2, label: 'Disqualified' },
  ],
};

describe('choicesFor', () => {
  it("offers only the chosen status's reasons, by value or by label", () => {
    expect(choicesFor(status, state, 0)?.map((c) => c.label)).toEqual(['New', 'Contacted']);
    expect(choicesFor(status, state, 'disqualified')?.map((c) => c.label)).toEqual(['Lost']);
  });
  it('offers every reason while no status is chosen or it is an expression', () => {
    expect(choicesFor(status, state, undefined)).toHaveLength(4);
    expect(choicesFor(status, state, { expr: '$trigger.statecode' })).toHaveLength(4);
  });
  it('leaves fields without choicesBy as they are', () => {
    const plain = { choices: status.choices };
    expect(choicesFor(plain, state, 0)).toBe(plain.choices);
  });
});
