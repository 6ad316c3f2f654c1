import type { Selectable, Updateable } from 'kysely';
import { decryptSecret, encryptSecret } from '../../secrets/crypto';
import type { Db } from '../database';
import { DuplicateError, isUniqueViolation } from '../errors';
import { newId } from '../ids';
import type { AccountAuthMethod, AccountsTable } from '../schema';
import { nowIso } from '../time';

export type { AccountAuthMethod } from '../schema';
export type AccountStatus = 'unverified' | 'connected' | 'needs_reconnect' | 'error';
/** Secret fields by name (client secret, password, tokens); stored encrypted as one JSON object. */
export type AccountSecrets = Record<string, string>;

/** A Dynamics connection as the app may show it: secrets never included, only whether there are any. */
export interface Account {
  id: string;
  ownerId: string;
  application: string;
  name: string;
  serviceUrl: string;
  apiVersion: string;
  identityEndpoint: string;
  authMethod: AccountAuthMethod;
  config: Record<string, unknown>;
  hasSecrets: boolean;
  status: AccountStatus;
  statusReason: string | null;
  principal: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewAccount {
  application: string;
  name: string;
  serviceUrl: string;
  apiVersion: string;
  identityEndpoint: string;
  authMethod: AccountAuthMethod;
  config?: Record<string, unknown>;
  secrets?: AccountSecrets | null;
  status?: AccountStatus;
  statusReason?: string | null;
  principal?: string | null;
}

/** Fields to change; `secrets` replaces the whole stored set (null removes it). */
export type AccountPatch = Partial<Omit<NewAccount, 'application'>>;

export async function createAccount(db: Db, ownerId: string, input: NewAccount): Promise<Account> {
  const now = nowIso();
  const row: Selectable<AccountsTable> = {
    id: newId(),
    owner_id: ownerId,
    application: input.application,
    name: input.name.trim(),
    service_url: input.serviceUrl,
    api_version: input.apiVersion,
    identity_endpoint: input.identityEndpoint,
    auth_method: input.authMethod,
    config_json: JSON.stringify(input.config ?? {}),
    secrets_enc: sealSecrets(input.secrets),
    status: input.status ?? 'unverified',
    status_reason: input.statusReason ?? null,
    principal: input.principal ?? null,
    created_at: now,
    updated_at: now,
  };
  try {
    await assertNameFree(db, ownerId, row.application, row.name);
    await db.db.insertInto('accounts').values(row).execute();
  } catch (err) {
    throw translateError(err);
  }
  return toAccount(row);
}

export async function findAccount(db: Db, ownerId: string, id: string): Promise<Account | undefined> {
  const row = await db.db.selectFrom('accounts').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return row && toAccount(row);
}

/** The owner's accounts (optionally of one application), by name. */
export async function listAccounts(db: Db, ownerId: string, filter: { application?: string } = {}): Promise<Account[]> {
  let query = db.db.selectFrom('accounts').selectAll().where('owner_id', '=', ownerId);
  if (filter.application !== undefined) query = query.where('application', '=', filter.application);
  const rows = await query.orderBy('name').orderBy('id').execute();
  return rows.map(toAccount);
}

/** Updates one of the owner's accounts; undefined when not found. DuplicateError on a taken name. */
export async function updateAccount(db: Db, ownerId: string, id: string, patch: AccountPatch): Promise<Account | undefined> {
  const set: Updateable<AccountsTable> = { updated_at: nowIso() };
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.serviceUrl !== undefined) set.service_url = patch.serviceUrl;
  if (patch.apiVersion !== undefined) set.api_version = patch.apiVersion;
  if (patch.identityEndpoint !== undefined) set.identity_endpoint = patch.identityEndpoint;
  if (patch.authMethod !== undefined) set.auth_method = patch.authMethod;
  if (patch.config !== undefined) set.config_json = JSON.stringify(patch.config);
  if (patch.secrets !== undefined) set.secrets_enc = sealSecrets(patch.secrets);
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.statusReason !== undefined) set.status_reason = patch.statusReason;
  if (patch.principal !== undefined) set.principal = patch.principal;
  try {
    if (set.name !== undefined) {
      const current = await findAccount(db, ownerId, id);
      if (!current) return undefined;
      await assertNameFree(db, ownerId, current.application, set.name, id);
    }
    const result = await db.db.updateTable('accounts').set(set).where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
  } catch (err) {
    throw translateError(err);
  }
  return findAccount(db, ownerId, id);
}

/**
 * The decrypted secrets of one of the owner's accounts, for the server-side token providers only;
 * undefined when the account is not the owner's, `{}` when it has none.
 * Throws SecretDecryptError when the stored value cannot be decrypted.
 */
export async function readAccountSecrets(db: Db, ownerId: string, id: string): Promise<AccountSecrets | undefined> {
  const row = await db.db
    .selectFrom('accounts')
    .select('secrets_enc')
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  if (!row) return undefined;
  return row.secrets_enc === null ? {} : (JSON.parse(decryptSecret(row.secrets_enc)) as AccountSecrets);
}

export async function deleteAccount(db: Db, ownerId: string, id: string): Promise<boolean> {
  const result = await db.db.deleteFrom('accounts').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Names are unique per owner and application without regard to case. The unique index on
 * lower(name) (migration 006) holds that in the database, but SQLite's lower() folds only ASCII
 * letters, so names are also compared here, with every letter folded.
 */
async function assertNameFree(db: Db, ownerId: string, application: string, name: string, exceptId?: string): Promise<void> {
  const key = name.toLowerCase();
  const names = await db.db
    .selectFrom('accounts')
    .select(['id', 'name'])
    .where('owner_id', '=', ownerId)
    .where('application', '=', application)
    .execute();
  if (names.some((row) => row.id !== exceptId && row.name.toLowerCase() === key)) {
    throw new DuplicateError('an account with this name already exists for this application', 'accounts.name');
  }
}

function sealSecrets(secrets: AccountSecrets | null | undefined): string | null {
  return secrets ? encryptSecret(JSON.stringify(secrets)) : null;
}

function translateError(err: unknown): unknown {
  return isUniqueViolation(err)
    ? new DuplicateError('an account with this name already exists for this application', 'accounts.name', { cause: err })
    : err;
}

function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    ownerId: row.owner_id,
    application: row.application,
    name: row.name,
    serviceUrl: row.service_url,
    apiVersion: row.api_version,
    identityEndpoint: row.identity_endpoint,
    authMethod: row.auth_method,
    config: JSON.parse(row.config_json) as Record<string, unknown>,
    hasSecrets: row.secrets_enc !== null,
    status: row.status as AccountStatus,
    statusReason: row.status_reason,
    principal: row.principal,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
