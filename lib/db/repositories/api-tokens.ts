import type { Selectable } from 'kysely';
import type { Db } from '../database';
import { DuplicateError, isUniqueViolation } from '../errors';
import { newId } from '../ids';
import type { ApiTokensTable } from '../schema';
import { nowIso, toIsoTimestamp } from '../time';

/** A personal API token as shown to its owner: never the hash, never the raw token. */
export interface ApiTokenRow {
  id: string;
  ownerId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  /** The token whose bearer minted this one; null when it was minted from a session. */
  parentTokenId: string | null;
}

export interface NewApiToken {
  name: string;
  /** sha256 hex of the raw token. */
  tokenHash: string;
  prefix: string;
  expiresAt?: string | null;
  parentTokenId?: string | null;
}

/** An authenticated bearer token: whose it is, and when it ends (its children may not end later). */
export interface ActiveApiToken {
  id: string;
  ownerId: string;
  expiresAt: string | null;
}

// Recording every use would turn each API call into a write; a minute's precision is plenty.
const LAST_USED_PRECISION_MS = 60_000;

const PUBLIC_COLUMNS = [
  'id',
  'owner_id',
  'name',
  'prefix',
  'created_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
  'parent_token_id',
] as const;

export async function createApiToken(db: Db, ownerId: string, input: NewApiToken): Promise<ApiTokenRow> {
  const row = {
    id: newId(),
    owner_id: ownerId,
    name: input.name.trim(),
    token_hash: input.tokenHash,
    prefix: input.prefix,
    created_at: nowIso(),
    last_used_at: null,
    expires_at: input.expiresAt ? toIsoTimestamp(input.expiresAt) : null,
    revoked_at: null,
    parent_token_id: input.parentTokenId ?? null,
  };
  try {
    await db.db.insertInto('api_tokens').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateError('this token already exists', 'api_tokens.token_hash', { cause: err });
    throw err;
  }
  return toApiToken(row);
}

/** The owner's tokens, newest first, revoked ones included (the UI shows them as revoked). */
export async function listApiTokens(db: Db, ownerId: string): Promise<ApiTokenRow[]> {
  const rows = await db.db
    .selectFrom('api_tokens')
    .select(PUBLIC_COLUMNS)
    .where('owner_id', '=', ownerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiToken);
}

/**
 * Revokes one of the owner's tokens and every token minted from it (their children, and theirs):
 * a token never outlives the credential that created it. False when the owner has no such active token.
 */
export async function revokeApiToken(db: Db, ownerId: string, id: string): Promise<boolean> {
  const now = nowIso();
  const result = await db.db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  let parents = [id];
  // Breadth-first down the minting tree; every level is one statement, and ids are never reused.
  while (parents.length > 0) {
    const children = await db.db
      .selectFrom('api_tokens')
      .select('id')
      .where('owner_id', '=', ownerId)
      .where('parent_token_id', 'in', parents)
      .where('revoked_at', 'is', null)
      .execute();
    parents = children.map((c) => c.id);
    if (parents.length > 0) await db.db.updateTable('api_tokens').set({ revoked_at: now }).where('id', 'in', parents).execute();
  }
  return true;
}

/** Deletes one of the owner's tokens outright; false when not found for that owner. */
export async function deleteApiToken(db: Db, ownerId: string, id: string): Promise<boolean> {
  const result = await db.db.deleteFrom('api_tokens').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Authenticates a bearer token by its hash: found only when not revoked and not expired.
 * Records the use (at most once a minute per token).
 */
export async function findActiveTokenByHash(db: Db, tokenHash: string): Promise<ActiveApiToken | undefined> {
  const now = nowIso();
  const row = await db.db
    .selectFrom('api_tokens')
    .select(['id', 'owner_id', 'last_used_at', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  if (!row) return undefined;
  const staleBefore = new Date(Date.parse(now) - LAST_USED_PRECISION_MS).toISOString();
  if (row.last_used_at === null || row.last_used_at < staleBefore) {
    await db.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { id: row.id, ownerId: row.owner_id, expiresAt: row.expires_at };
}

function toApiToken(row: Omit<Selectable<ApiTokensTable>, 'token_hash'>): ApiTokenRow {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    parentTokenId: row.parent_token_id,
  };
}
