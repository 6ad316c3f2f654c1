/**
 * Verifies an account before the Catalog saves it: gets a token and calls WhoAmI (Learn:
 * webapi/reference/whoami), then names the principal (`systemusers(<UserId>)` domain name or full
 * name). Returns the tokens obtained so the caller can store them (a Basic OAuth refresh token is
 * rotated by the verification itself).
 */
import { createDataverseClient } from '../../client/create-client';
import { DataverseError } from '../../client/errors/dataverse-error';
import type { AccountConnection, ClientOptions, DataverseErrorInfo, TokenSet, WhoAmI } from '../../client/types';
import { assertResolvesPublic } from '../../client/url-safety/resolve-public';
import { forgetAccountThrottle } from '../../client/throttle/account-registry';
import { forgetTokenProvider } from '../../client/tokens/token-provider';

export type VerifyResult =
  { ok: true; whoAmI: WhoAmI; principal: string; tokens?: TokenSet } | { ok: false; error: DataverseErrorInfo; needsReconnect?: boolean };

function info(err: unknown): DataverseErrorInfo {
  if (err instanceof DataverseError) return err.toJSON();
  return { status: 0, code: 'unexpected', serviceMessage: '', explanation: 'The connection could not be verified.', transient: false };
}

/**
 * @example
 * const r = await verifyConnection(toAccountConnection('new', config), { allowedHosts });
 * if (r.ok) save({ ...config, principal: r.principal, tokens: r.tokens });
 * else showError(r.error.explanation);
 */
export async function verifyConnection(account: AccountConnection, opts: ClientOptions = {}): Promise<VerifyResult> {
  // A throwaway id: verification must not share cached tokens or throttles with a saved account.
  const probe = { ...account, id: `verify:${crypto.randomUUID()}` };
  let tokens: TokenSet | undefined;
  let reason: string | undefined;
  const port = {
    saveTokens: async (_id: string, t: TokenSet) => {
      tokens = t;
    },
    markNeedsReconnect: async (_id: string, r: string) => {
      reason = r;
    },
  };
  try {
    await assertResolvesPublic(account.serviceUrl, opts);
    await assertResolvesPublic(account.identityEndpoint, opts);
    const client = createDataverseClient(probe, port, { ...opts, retry: { maxAttempts: 2, ...opts.retry } });
    const whoAmI = await client.whoAmI(opts.signal);
    let principal = whoAmI.UserId;
    try {
      const user = await client.retrieve(
        'systemusers',
        { id: whoAmI.UserId },
        { select: ['domainname', 'fullname'], ...(opts.signal ? { signal: opts.signal } : {}) },
      );
      const name = user?.domainname ?? user?.fullname;
      if (typeof name === 'string' && name) principal = name;
    } catch {
      // The user's name is a nicety; WhoAmI already proved the connection.
    }
    return { ok: true, whoAmI, principal, ...(tokens ? { tokens } : {}) };
  } catch (err) {
    return { ok: false, error: info(err), ...(reason ? { needsReconnect: true } : {}) };
  } finally {
    forgetTokenProvider(probe.id);
    forgetAccountThrottle(probe.id);
  }
}
