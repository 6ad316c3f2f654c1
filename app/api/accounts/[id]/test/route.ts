import { apiRoute } from '@/lib/server/api-route';
import { updateAccount } from '@/lib/db/repositories/accounts';
import { loadOwnAccount, storedConnection } from '@/lib/dynamics/accounts/account-service';
import { dbAccountStatePort } from '@/lib/dynamics/accounts/account-state-port';
import { allowedHostsFor } from '@/lib/dynamics/accounts/connection-options';
import { accountIdParamsSchema } from '@/lib/dynamics/accounts/connect-schema';
import { accountContext } from '@/lib/dynamics/accounts/request-context';
import { verifyConnection } from '@/lib/dynamics/accounts/sign-in/verify-connection';

export const dynamic = 'force-dynamic';

/** Signs in with the stored credentials and calls WhoAmI; the account's status follows the answer. */
export const POST = apiRoute({ auth: true, params: accountIdParamsSchema }, async ({ req, db, user, params }) => {
  const ctx = accountContext(req, db, user.id);
  const { account, secrets } = await loadOwnAccount(ctx, params.id);
  const result = await verifyConnection(storedConnection(account, secrets), { allowedHosts: allowedHostsFor(ctx.appOrigin) });
  if (result.ok) {
    if (result.tokens) await dbAccountStatePort(db, user.id).saveTokens(account.id, result.tokens);
    await updateAccount(db, user.id, account.id, { status: 'connected', statusReason: null, principal: result.principal });
    return { ok: true, message: `The connection works: signed in as ${result.principal}.` };
  }
  const reconnect = result.needsReconnect || result.error.status === 401 || result.error.code.startsWith('invalid_');
  if (reconnect) await updateAccount(db, user.id, account.id, { status: 'needs_reconnect', statusReason: result.error.explanation });
  return { ok: false, message: `The connection failed: ${result.error.explanation}` };
});
