import { describe, expect, it } from 'vitest';
import type { Transport, WireRequest } from '../transport/http-transport';
import type { AccountConnection, AccountStatePort, TokenSet } from '../types';
import { TokenProvider } from './token-provider';

const account: AccountConnection = {
  id: 'a',
  serviceUrl: 'https://contoso.crm.dynamics.com',
  apiVersion: 'v9.2',
  identityEndpoint: 'https://login.microsoftonline.com/organizations',
  method: 'basic_oauth',
  clientId: 'client',
  secrets: { refreshToken: 'RT1', clientSecret: 'secret' },
};

/** A token endpoint that answers after 100 ms unless the request's own signal aborts first. */
function slowTokenEndpoint(): Transport & { calls: number } {
  const transport = {
    calls: 0,
    async send(req: WireRequest) {
      transport.calls++;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 100);
        req.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        });
      });
      return {
        status: 200,
        headers: new Headers({ 'content-type': 'application/json' }),
        body: JSON.stringify({ access_token: 'AT2', refresh_token: 'RT2', token_type: 'Bearer', expires_in: 3600 }),
      };
    },
  };
  return transport as unknown as Transport & { calls: number };
}

describe('TokenProvider shared refresh', () => {
  it('one waiter cancelling does not cancel the refresh for the others, and the rotated token is saved', async () => {
    const saved: TokenSet[] = [];
    const port: AccountStatePort = { saveTokens: async (_id, t) => void saved.push(t), markNeedsReconnect: async () => {} };
    const transport = slowTokenEndpoint();
    const provider = new TokenProvider(account, port, { transport });
    const cancelled = new AbortController();
    const a = provider.getAccessToken(cancelled.signal);
    const b = provider.getAccessToken();
    setTimeout(() => cancelled.abort(), 20);
    await expect(a).rejects.toThrow();
    await expect(b).resolves.toBe('AT2');
    expect(transport.calls).toBe(1);
    expect(saved.map((t) => t.refreshToken)).toEqual(['RT2']);
  });
});
