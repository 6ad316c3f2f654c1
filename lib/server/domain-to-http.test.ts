import { describe, expect, it } from 'vitest';
import { DataverseError } from '@/lib/dynamics/client/errors/dataverse-error';
import { ActionError } from '@/lib/dynamics/connector/errors';
import { InvalidNameError } from '@/lib/dynamics/metadata/names';
import { conflict, DomainError, invalid, notFound, unprocessable, upstream, type DomainErrorKind } from '@/lib/errors/domain-error';
import { ApiError } from './api-error';
import { toApiError } from './domain-to-http';
import { toErrorResponse } from './error-response';

describe('domain errors become HTTP answers only here', () => {
  it.each<[DomainErrorKind, DomainError, number]>([
    ['invalid', invalid('sandbox_disabled', 'off'), 400],
    ['not_found', notFound('The account'), 404],
    ['conflict', conflict('needs_reconnect', 'x'), 409],
    ['unprocessable', unprocessable('verification_failed', 'x', { field: 'password' }), 422],
    ['upstream', upstream('dynamics_error', 'x'), 502],
    ['unavailable', new DomainError('unavailable', 'busy', 'x'), 503],
  ])('%s → %i, keeping code, message and details', (_kind, err, status) => {
    const api = toApiError(err);
    expect(api).toBeInstanceOf(ApiError);
    expect(api).toMatchObject({ status, code: err.code, message: err.message, details: err.details });
  });

  it('maps the connector, metadata and Dataverse errors by their meaning, never to 500', async () => {
    expect(toApiError(new ActionError('unknown_table', 'no such table'))).toMatchObject({ status: 404, code: 'unknown_table' });
    expect(toApiError(new ActionError('too_many_matches', 'too many'))).toMatchObject({ status: 400, code: 'too_many_matches' });
    expect(toApiError(new InvalidNameError('table', 'bad name'))).toMatchObject({ status: 400, code: 'invalid_name' });
    const throttled = new DataverseError({ status: 429, code: '0x80072322', transient: true });
    expect(toApiError(throttled)).toMatchObject({ status: 503, code: 'dynamics_error' });
    const refused = new DataverseError({ status: 403, code: '0x80072560', transient: false });
    expect(toApiError(refused)).toMatchObject({ status: 502, code: 'dynamics_error' });
    const res = toErrorResponse(conflict('account_in_use', 'Stop these flows first.'));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'account_in_use', message: 'Stop these flows first.' } });
  });

  it('leaves unknown failures alone (a logged 500 without their text)', async () => {
    const odd = new TypeError('secret-canary in a stack');
    expect(toApiError(odd)).toBe(odd);
    const res = toErrorResponse(odd);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret-canary');
  });
});
