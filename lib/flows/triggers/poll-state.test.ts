import { describe, expect, it } from 'vitest';
import { currentPollState, isDue, startingCursor, startSecond, type DynamicsPollState } from './poll-state';

const state: DynamicsPollState = {
  v: 1,
  type: 'dynamics.lead.new_or_updated',
  startedAt: '2026-12-02T09:00:00.400Z',
  cursor: { kind: 'timestamp', watermark: '2026-12-02T09:05:00Z', seen: { 'a|1': '2026-12-02T09:05:00Z' } },
  nextPollAt: '2026-12-02T09:06:00.000Z',
};

describe('Dynamics poll state', () => {
  it('belongs to one start of one trigger type: another start, another type or an unknown shape starts over', () => {
    expect(currentPollState(state, state.type, state.startedAt)).toEqual(state);
    expect(currentPollState(state, state.type, '2026-12-02T10:00:00.000Z')).toBeUndefined();
    expect(currentPollState(state, 'dynamics.contact.new_or_updated', state.startedAt)).toBeUndefined();
    expect(currentPollState({ nextFireAt: null }, state.type, state.startedAt)).toBeUndefined();
    expect(currentPollState({ ...state, cursor: { kind: 'other' } }, state.type, state.startedAt)).toBeUndefined();
  });

  it('a fresh cursor starts at the second of the start (Dataverse stamps have second precision)', () => {
    const now = new Date('2026-12-03T00:00:00Z');
    expect(startSecond(state.startedAt, now)).toBe('2026-12-02T09:00:00Z');
    expect(startingCursor(state.startedAt, now)).toEqual({ kind: 'timestamp', watermark: '2026-12-02T09:00:00Z', seen: {} });
    expect(startSecond(null, now)).toBe('2026-12-03T00:00:00Z');
  });

  it('is due when never polled or at its next poll time', () => {
    expect(isDue(undefined, new Date('2026-12-02T09:00:00Z'))).toBe(true);
    expect(isDue(state, new Date('2026-12-02T09:05:59.999Z'))).toBe(false);
    expect(isDue(state, new Date('2026-12-02T09:06:00Z'))).toBe(true);
  });
});
