import { findAccount } from '@/lib/db/repositories/accounts';
import { CONNECTOR_ID, parseId } from '@/lib/dynamics/connector/ids';
import { DomainError, invalid } from '@/lib/errors/domain-error';
import { bindAccounts } from '../transfer/bind-accounts';
import type { PortableFlow } from '../transfer/portable-flow-schema';
import { createFlow } from './create-flow';
import type { ImportPlaceholder, ImportPreview } from './import-requests';
import { readPortableText } from './read-portable-text';
import type { FlowServiceContext } from './flow-context';

export interface ImportRequest {
  text: string;
  /** placeholder → one of the caller's account ids */
  accounts: Record<string, string>;
}

/**
 * What importing this file would create, so the importer can choose an account per placeholder.
 * A file that cannot be imported is refused with its parse error (code, message, problems).
 */
export async function inspectImport(text: string): Promise<ImportPreview> {
  const portable = await parseOrThrow(text);
  return {
    format: portable.format,
    name: portable.flow.name,
    description: portable.flow.description,
    nodeCount: portable.flow.nodes.length,
    placeholders: placeholdersOf(portable),
    problemCount: portable.problems.length,
    ...(portable.template ? { template: portable.template } : {}),
  };
}

/**
 * Creates a new draft flow of the caller's from a portable file, each placeholder filled by the
 * account chosen for it. Every chosen account must be one of the caller's Dynamics accounts: any
 * other id (someone else's, deleted, made up) is the same `account_not_found`, so nothing is
 * learnt about other people's accounts.
 */
export async function importFlow(ctx: FlowServiceContext, request: ImportRequest): Promise<{ flowId: string }> {
  const portable = await parseOrThrow(request.text);
  const bound = bindAccounts(portable, request.accounts);
  if (!bound.ok) throw invalid(bound.error.code, bound.error.message, { placeholders: bound.error.placeholders });
  for (const key of Object.keys(portable.accounts)) {
    const account = await findAccount(ctx.db, ctx.ownerId, request.accounts[key]!);
    if (!account || account.application !== CONNECTOR_ID) {
      throw new DomainError('not_found', 'account_not_found', `The account chosen for "${portable.accounts[key]!.label}" was not found.`, {
        placeholder: key,
      });
    }
  }
  const flow = await createFlow(ctx, { document: bound.document });
  return { flowId: flow.id };
}

async function parseOrThrow(text: string): Promise<PortableFlow> {
  const parsed = await readPortableText(text);
  if (parsed.ok) return parsed.portable;
  const { code, message, problems } = parsed.error;
  throw invalid(code, message, problems ? { problems: problems.slice(0, 50) } : undefined);
}

function placeholdersOf(portable: PortableFlow): ImportPlaceholder[] {
  return Object.entries(portable.accounts).map(([key, { label }]) => {
    const tables = portable.flow.nodes.flatMap((n) => {
      const table = n.params.accountId === key ? parseId(n.type)?.table : undefined;
      return table ? [table] : [];
    });
    return { key, label, tables: [...new Set(tables)] };
  });
}
