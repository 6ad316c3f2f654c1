import type { AuthMethod } from '@/lib/dynamics/client/types';
import type { SecretFieldName } from './connect-methods';

export type AccountHealth = 'connected' | 'needs_reconnect' | 'expiring_soon' | 'unverified';

/** An account as the browser sees it: never a secret, only whether each one is set. */
export interface AccountView {
  id: string;
  application: string;
  name: string;
  serviceUrl: string;
  apiVersion: string;
  identityEndpoint: string;
  method: AuthMethod;
  clientId: string | null;
  username: string | null;
  /** YYYY-MM-DD, when the person told us. */
  clientSecretExpiresOn: string | null;
  /** Who the account signs in as (WhoAmI user or username). */
  principal: string | null;
  health: AccountHealth;
  /** Plain-words reason when the account needs attention. */
  healthReason: string | null;
  /** Per secret field: the placeholder when stored, null when not. */
  secrets: Partial<Record<SecretFieldName, string | null>>;
  isSandbox: boolean;
  flows: { id: string; name: string; status: string }[];
  createdAt: string;
  updatedAt: string;
}
