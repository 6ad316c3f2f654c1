import { describe, expect, it } from 'vitest';
import { DataverseError } from '@/lib/dynamics/client/errors/dataverse-error';
import { ActionError } from '@/lib/dynamics/connector/errors';
import { conflict, notFound } from '@/lib/errors/domain-error';
import { dynamicsStepError } from './dynamics-action';

describe('dynamicsStepError', () => {
  it('names a Dataverse failure by status, keeps its message and Retry-After, never retryable again', () => {
    const e = dynamicsStepError(
      new DataverseError({
        status: 429,
        code: '0x80072322',
        serviceMessage: 'Too many requests. Bearer eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.sig',
        retryAfterMs: 4000,
      }),
    );
    expect([e.code, e.retryable, e.options.retryAfterMs, e.options.status]).toEqual(['dataverse_429', false, 4000, 429]);
    expect(e.message).toContain('Too many requests');
    expect(e.message).not.toContain('eyJ');
  });
  it('names a local client failure by its code', () => {
    expect(dynamicsStepError(DataverseError.local('unsafe_url', 'nope')).code).toBe('dataverse_unsafe_url');
  });
  it('keeps action and account codes', () => {
    expect(dynamicsStepError(new ActionError('too_many_matches', '12 rows match; at most 10.')).code).toBe('too_many_matches');
    expect(dynamicsStepError(conflict('needs_reconnect', 'Sales needs reconnecting.')).code).toBe('account_needs_reconnect');
    expect(dynamicsStepError(notFound('The account')).code).toBe('account_not_found');
  });
  it('hides what an unknown failure says', () => {
    const e = dynamicsStepError(new Error('connect to postgres://user:pw@db failed'));
    expect(e.code).toBe('step_error');
    expect(e.message).not.toContain('pw');
  });
});
