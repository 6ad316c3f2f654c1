import { describe, expect, it } from 'vitest';
import { runtimeConfig } from './runtime-config';

describe('runtimeConfig', () => {
  it('defaults to the embedded runtime', () => {
    expect(runtimeConfig({})).toEqual({
      RUNTIME: 'embedded',
      QUEUE: 'embedded',
      RUN_WORKERS: 16,
      RUN_LEASE_MS: 30_000,
      RUN_HISTORY_DAYS: 30,
      API_TRIGGER_WAIT_MS: 30_000,
    });
  });
  it('reads the settings, ignoring blanks', () => {
    const c = runtimeConfig({ RUNTIME: 'worker', RUN_WORKERS: '4', RUN_HISTORY_DAYS: '7.5', RUN_LEASE_MS: ' ', QUEUE: 'embedded' });
    expect(c).toMatchObject({ RUNTIME: 'worker', RUN_WORKERS: 4, RUN_HISTORY_DAYS: 7.5, RUN_LEASE_MS: 30_000 });
  });
  it('refuses a wrong value by its name', () => {
    expect(() => runtimeConfig({ RUN_WORKERS: 'many' })).toThrow(/RUN_WORKERS is not valid/);
    expect(() => runtimeConfig({ RUN_WORKERS: '0' })).toThrow(/RUN_WORKERS/);
    expect(() => runtimeConfig({ RUNTIME: 'cloud' })).toThrow(/RUNTIME/);
    expect(() => runtimeConfig({ RUN_HISTORY_DAYS: '-3' })).toThrow(/RUN_HISTORY_DAYS/);
  });
  it('needs DATABASE_URL for the pg-boss queue', () => {
    expect(() => runtimeConfig({ QUEUE: 'pg-boss' })).toThrow(/DATABASE_URL/);
    expect(runtimeConfig({ QUEUE: 'pg-boss', DATABASE_URL: 'postgres://x/y' }).QUEUE).toBe('pg-boss');
  });
});
