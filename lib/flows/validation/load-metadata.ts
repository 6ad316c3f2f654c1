import type { Db } from '@/lib/db/database';
import { findAccount } from '@/lib/db/repositories/accounts';
import { getClientForAccount } from '@/lib/dynamics/accounts/account-client';
import type { DataverseClient } from '@/lib/dynamics/client/types';
import { parseId } from '@/lib/dynamics/connector/ids';
import { metadataCache, type MetadataCache } from '@/lib/dynamics/metadata/metadata-cache';
import type { TableSchema } from '@/lib/dynamics/metadata/types';
import { isDomainError } from '@/lib/errors/domain-error';
import type { FlowDocument } from '../model/schema';
import type { AccountMetadata, FlowMetadata } from './flow-metadata';

export interface LoadMetadataContext {
  db: Db;
  ownerId: string;
  signal?: AbortSignal;
}

export interface LoadMetadataDeps {
  cache?: MetadataCache;
  getClient?: (db: Db, ownerId: string, accountId: string) => Promise<DataverseClient>;
}

/** Which tables each account's steps use. */
function tablesByAccount(doc: Pick<FlowDocument, 'nodes'>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const node of doc.nodes) {
    const parsed = parseId(node.type);
    const accountId = node.params.accountId;
    if (!parsed || accountId === undefined) continue;
    const tables = out.get(accountId) ?? new Set<string>();
    tables.add(parsed.table);
    out.set(accountId, tables);
  }
  return out;
}

/** An error's message for a problem: the client's messages are already redacted; kept short all the same. */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 300 ? `${message.slice(0, 297)}…` : message;
}

/**
 * The metadata of every account the flow's Dynamics steps use: each account, its table directory
 * and each table used, loaded once per validation (and through the shared metadata cache, so
 * usually not from Dataverse at all). An account that cannot be reached is a status, not an
 * exception; only an abort of `signal` throws.
 */
export async function loadFlowMetadata(
  ctx: LoadMetadataContext,
  doc: Pick<FlowDocument, 'nodes'>,
  deps: LoadMetadataDeps = {},
): Promise<FlowMetadata> {
  const cache = deps.cache ?? metadataCache;
  const getClient = deps.getClient ?? ((db, ownerId, accountId) => getClientForAccount(db, ownerId, accountId));
  const abortedOr = (err: unknown) => {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    return reason(err);
  };

  const load = async (accountId: string, tableNames: Set<string>): Promise<AccountMetadata> => {
    const account = await findAccount(ctx.db, ctx.ownerId, accountId);
    if (!account) return { status: 'missing' };
    if (account.status === 'needs_reconnect') {
      return { status: 'needs_reconnect', name: account.name, reason: account.statusReason ?? 'sign in again' };
    }
    let client: DataverseClient;
    try {
      client = await getClient(ctx.db, ctx.ownerId, accountId);
    } catch (err) {
      if (isDomainError(err) && err.code === 'not_found') return { status: 'missing' };
      if (isDomainError(err) && err.code === 'needs_reconnect')
        return { status: 'needs_reconnect', name: account.name, reason: err.message };
      return { status: 'unreachable', message: abortedOr(err) };
    }
    let directory;
    try {
      directory = await cache.tables(client, { signal: ctx.signal });
    } catch (err) {
      return { status: 'unreachable', message: abortedOr(err) };
    }
    const tables = new Map<string, TableSchema | { error: string }>();
    const known = [...tableNames].filter((name) => directory.tables.some((t) => t.logicalName === name));
    await Promise.all(
      known.map(async (name) => {
        try {
          tables.set(name, await cache.table(client, name, { signal: ctx.signal }));
        } catch (err) {
          tables.set(name, { error: abortedOr(err) });
        }
      }),
    );
    return { status: 'ok', name: account.name, directory, tables };
  };

  const entries = await Promise.all([...tablesByAccount(doc)].map(async ([id, tables]) => [id, await load(id, tables)] as const));
  return new Map(entries);
}
