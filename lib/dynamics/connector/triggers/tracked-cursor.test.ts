import { describe, expect, it } from 'vitest';
import { Horizon, versionOf } from './tracked-cursor';

const row = (createdon: string, modifiedon: string) => ({ createdon, modifiedon });

describe('Horizon (New vs Updated in a change-tracking round)', () => {
  it('a row created after the horizon is new, before it an update; in its second, new unless seen there', () => {
    const h = new Horizon('2033-01-01T12:00:10Z', ['seen']);
    expect(h.createdAfter('a', row('2033-01-01T12:00:11Z', '2033-01-01T12:00:11Z'))).toBe(true);
    expect(h.createdAfter('a', row('2033-01-01T12:00:09Z', '2033-01-01T12:00:30Z'))).toBe(false);
    expect(h.createdAfter('seen', row('2033-01-01T12:00:10Z', '2033-01-01T12:00:10Z'))).toBe(false);
    expect(h.createdAfter('other', row('2033-01-01T12:00:10Z', '2033-01-01T12:00:10Z'))).toBe(true);
    expect(h.createdAfter('a', { modifiedon: '2033-01-01T12:00:11Z' })).toBe(false);
  });

  it('folds rows: the newest modifiedon, with the ids created in that second only', () => {
    const h = new Horizon('2033-01-01T12:00:10Z', ['seen']);
    h.add('old', row('2033-01-01T11:00:00Z', '2033-01-01T12:00:10Z'));
    expect(h.value).toEqual({ horizon: '2033-01-01T12:00:10Z', atHorizon: ['seen'] });
    h.add('b', row('2033-01-01T12:00:12Z', '2033-01-01T12:00:12Z'));
    h.add('c', row('2033-01-01T12:00:05Z', '2033-01-01T12:00:12Z'));
    h.add('d', row('2033-01-01T12:00:11Z', '2033-01-01T12:00:11Z')); // older than the horizon now: no change
    expect(h.value).toEqual({ horizon: '2033-01-01T12:00:12Z', atHorizon: ['b'] });
  });

  it('reads versionnumber as a number (Dataverse may send a BigInt as a string)', () => {
    expect(versionOf({ versionnumber: 12 })).toBe(12);
    expect(versionOf({ versionnumber: '1234567' })).toBe(1234567);
    expect(versionOf({ versionnumber: 'x' })).toBeUndefined();
    expect(versionOf({})).toBeUndefined();
  });
});
