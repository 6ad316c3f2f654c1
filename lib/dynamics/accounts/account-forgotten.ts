/**
 * "This account changed or is gone": `forgetAccount` (account-service.ts) tells every listener after
 * an account's credentials are updated, it signs in again (reconnect) or it is removed. Layers above
 * lib/dynamics that keep per-account state (the flow steps' cached clients) subscribe here, since
 * lib/dynamics may not import them (.dependency-cruiser.cjs: dynamics-below-server-and-flows).
 */
type Listener = (accountId: string) => void;

const listeners = new Set<Listener>();

/** @example onAccountForgotten((id) => cache.delete(id)) // returns the unsubscribe */
export function onAccountForgotten(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called by `forgetAccount`; a failing listener never stops the others or the caller. */
export function accountForgotten(accountId: string): void {
  for (const listener of listeners) {
    try {
      listener(accountId);
    } catch {
      // A cache that cannot drop its entry still expires it (step clients: CLIENT_TTL_MS).
    }
  }
}
