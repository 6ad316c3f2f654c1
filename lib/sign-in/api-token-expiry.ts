/** A new token's lifetime when none is asked for, and the longest one may have. */
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;

const DAY_MS = 86_400_000;

/** What a new token is minted with: a session (it then belongs to the user), or another token. */
export type MintingCredential = { kind: 'session' } | { kind: 'token'; tokenId: string; expiresAt: string | null };

/**
 * When a new token ends, and which token it hangs from. Every token expires (DEFAULT_TOKEN_DAYS
 * unless asked, never beyond MAX_TOKEN_DAYS), and one minted with a bearer token never outlives it
 * (its end is capped at the parent's, and revoking the parent revokes it). One minted from a
 * session belongs to the user, not to that browser session: signing out does not stop a script.
 */
export function newTokenLifetime(
  requestedDays: number | undefined,
  parent: MintingCredential,
  now: number = Date.now(),
): { expiresAt: string; parentTokenId: string | null } {
  const days = Math.min(requestedDays ?? DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS);
  let end = now + days * DAY_MS;
  if (parent.kind === 'token' && parent.expiresAt) end = Math.min(end, Date.parse(parent.expiresAt));
  return { expiresAt: new Date(end).toISOString(), parentTokenId: parent.kind === 'token' ? parent.tokenId : null };
}
