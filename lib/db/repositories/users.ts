import type { Selectable } from 'kysely';
import type { Db } from '../database';
import { DuplicateError, isUniqueViolation } from '../errors';
import { newId } from '../ids';
import type { UsersTable } from '../schema';
import { nowIso } from '../time';

export interface User {
  id: string;
  /** Lowercased. */
  email: string;
  name: string;
  /** Null for users who sign in only through an external identity provider. */
  passwordHash: string | null;
  createdAt: string;
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string | null;
}

/** Emails compare case-insensitively everywhere, so they are stored in one case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Creates a user. Throws DuplicateError (constraint `users.email`) when the email is taken,
 * whatever its case.
 */
export async function createUser(db: Db, input: NewUser): Promise<User> {
  const row = {
    id: newId(),
    email: normalizeEmail(input.email),
    name: input.name.trim(),
    password_hash: input.passwordHash,
    created_at: nowIso(),
  };
  try {
    await db.db.insertInto('users').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateError('a user with this email already exists', 'users.email', { cause: err });
    throw err;
  }
  return toUser(row);
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db.db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return row && toUser(row);
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await db.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  // PostgreSQL returns count(*) as a bigint string, SQLite as a number.
  return Number(row.n);
}

/** Changes a user's own name or password hash; false when the user does not exist. */
export async function updateUser(db: Db, id: string, patch: { name?: string; passwordHash?: string | null }): Promise<boolean> {
  const set: Partial<Selectable<UsersTable>> = {};
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
  if (Object.keys(set).length === 0) return (await findUserById(db, id)) !== undefined;
  const result = await db.db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function toUser(row: Selectable<UsersTable>): User {
  return { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash, createdAt: row.created_at };
}
