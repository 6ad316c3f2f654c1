import type { Db } from '@/lib/db/database';
import { conflict } from '@/lib/errors/domain-error';
import { createDataverseClient } from '../client/create-client';
import type { ClientOptions, DataverseClient } from '../client/types';
import { dbAccountStatePort } from './account-state-port';
import { allowedHostsFor } from './connection-options';
import { loadOwnAccount } from './own-account';
import { withOwnSandbox } from './own-sandbox';
import { appOrigin } from './sandbox-defaults';
import { storedConnection } from './stored-account';

/**
 * The Dataverse client for one of the owner's accounts (not found when it is not theirs).
 * Throttling, concurrency and tokens are shared per account inside the client, so calling this
 * per request is cheap.
 * @example const client = await getClientForAccount(db, user.id, accountId); await client.whoAmI();
 */
export async function getClientForAccount(
  db: Db,
  ownerId: string,
  accountId: string,
  options: ClientOptions = {},
): Promise<DataverseClient> {
  const { account, secrets } = await loadOwnAccount({ db, ownerId }, accountId);
  if (account.status === 'needs_reconnect') {
    throw conflict(
      'needs_reconnect',
      `${account.name} needs reconnecting: ${account.statusReason ?? 'sign in again'}. Update its credentials in the Catalog.`,
    );
  }
  const who = { ownerId, appOrigin: appOriginFromEnv() };
  return createDataverseClient(withOwnSandbox(who, storedConnection(account, secrets)), dbAccountStatePort(db, ownerId), {
    allowedHosts: allowedHostsFor(appOriginFromEnv()),
    ...options,
  });
}

/** Outside a request the app's origin comes from configuration (the runtime, pollers). */
export function appOriginFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return appOrigin(`http://localhost:${env.PORT ?? '3000'}`, env);
}
