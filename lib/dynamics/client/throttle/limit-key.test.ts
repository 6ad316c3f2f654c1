/**
 * Limits are kept per (environment, principal): accounts signed in as the same user to the same
 * environment share one gate and one cap; another user, another environment or a delegated
 * account (its user unknown until a token) get their own. Forgetting one account keeps the state
 * of the others that share it.
 */
import { describe, expect, it } from 'vitest';
import type { AccountConnection } from '../types';
import { accountThrottle, forgetAccountThrottle } from './account-registry';
import { limitKeyOf } from './limit-key';

const base: AccountConnection = {
  id: 'a1',
  serviceUrl: 'https://contoso.crm.dynamics.com',
  apiVersion: 'v9.2',
  identityEndpoint: 'https://login.microsoftonline.com/organizations',
  method: 'password',
  clientId: 'c',
  secrets: { username: 'Sales@Contoso.com', password: 'p' },
};
const variant = (patch: Partial<AccountConnection>, secrets: AccountConnection['secrets'] = base.secrets) => ({
  ...base,
  ...patch,
  secrets,
});

describe('limitKeyOf', () => {
  it('is the same for the same user on the same environment, whatever the account', () => {
    const key = limitKeyOf(base);
    expect(
      limitKeyOf(variant({ id: 'a2', serviceUrl: 'https://CONTOSO.crm.dynamics.com/' }, { username: ' sales@contoso.com', password: 'x' })),
    ).toBe(key);
    expect(limitKeyOf(variant({ id: 'a2' }, { username: 'other@contoso.com' }))).not.toBe(key);
    expect(limitKeyOf(variant({ id: 'a2', serviceUrl: 'https://fabrikam.crm.dynamics.com' }))).not.toBe(key);
    // Delegated sign-in: the user is not known from the connection, so the account is its own key.
    const delegated = variant({ id: 'd1', method: 'auth_code' }, { refreshToken: 'r' });
    expect(limitKeyOf(delegated)).not.toBe(limitKeyOf({ ...delegated, id: 'd2' }));
    expect(limitKeyOf(delegated)).toBe(limitKeyOf({ ...delegated, secrets: { refreshToken: 'rotated' } }));
  });

  it('holds neither the user name nor the URL', () => {
    const key = limitKeyOf(base);
    expect(key).toMatch(/^lim_[0-9a-f]{32}$/);
  });
});

describe('account throttles by limit key', () => {
  it('accounts of one user share gate and limiter; forgetting one keeps them for the other', () => {
    const key = limitKeyOf(base);
    const one = accountThrottle('share-1', 5, key);
    const two = accountThrottle('share-2', undefined, key);
    expect(two).toBe(one);
    expect(accountThrottle('share-1')).toBe(one); // found again by account id alone
    expect(one.accountId).toBe(key);
    expect(one.limiter.configuredCap).toBe(5);
    forgetAccountThrottle('share-1');
    expect(accountThrottle('share-2')).toBe(one);
    forgetAccountThrottle('share-2');
    expect(accountThrottle('share-2', undefined, key)).not.toBe(one);
    forgetAccountThrottle('share-2');
  });

  it('without a key an account keeps its own throttle (its id)', () => {
    const own = accountThrottle('alone');
    expect(own.accountId).toBe('alone');
    expect(accountThrottle('alone-2')).not.toBe(own);
  });
});
