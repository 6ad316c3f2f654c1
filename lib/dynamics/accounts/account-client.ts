import type { Db } from '@/lib/db/database';
import { createDataverseClient } from '@/lib/dynamics/client/create-client';
import type { ClientOptions, DataverseClient } from '@/lib/dynamics/client/types';
import { ApiError } from '@/lib/server/api-error';
import { loadOwnAccount, storedConnection } from './account-service';
import { dbAccountStatePort } from './account-state-port';
import { allowedHostsFor } from './connection-options';
import { appOrigin } from './sandbox-defaults';

/**
 * The Dataverse client for one of the owner's accounts (404 when it is not theirs). Throttling,
 * concurrency and tokens are shared per account inside the client, so calling this per request
 * is cheap.
 * @example const client = await getClientForAccount(db, user.id, accountId); await client.whoAmI();
 */
export async function getClientForAccount(
  db: Db,
  ownerId: string,
  accountId: string,
  options: ClientOptions = {},
): Promise<DataverseClient> {
  const { account, secrets } = await loadOwnAccount({ db, ownerId, appOrigin: appOriginFromEnv() }, accountId);
  if (account.status === 'needs_reconnect') {
    throw new ApiError(
      409,
      'needs_reconnect',
      `${account.name} needs reconnecting: ${account.statusReason ?? 'sign in again'}. Update its credentials in the Catalog.`,
    );
  }
  return createDataverseClient(storedConnection(account, secrets), dbAccountStatePort(db, ownerId), {
    allowedHosts: allowedHostsFor(appOriginFromEnv()),
    ...options,
  });
}

/** Outside a request the app's origin comes from configuration (the runtime, pollers). */
export function appOriginFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return appOrigin(`http://localhost:${env.PORT ?? '3000'}`, env);
}
