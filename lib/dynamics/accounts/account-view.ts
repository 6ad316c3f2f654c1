import type { AuthMethod } from '../client/types';

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
  /** The method's non-secret values by field name (client ID, username, client secret expiry…), as the connect form shows them. */
  settings: Record<string, string>;
  /** Per secret field of the method: the placeholder when a value is stored, null when not. */
  secrets: Record<string, string | null>;
  /** Who the account signs in as (WhoAmI user or username). */
  principal: string | null;
  health: AccountHealth;
  /** Plain-words reason when the account needs attention. */
  healthReason: string | null;
  isSandbox: boolean;
  flows: { id: string; name: string; status: string }[];
  createdAt: string;
  updatedAt: string;
}
