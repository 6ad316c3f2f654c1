import { listAccounts } from '@/lib/db/repositories/accounts';
import { findFlowVersion } from '@/lib/db/repositories/flow-versions';
import { notFound } from '@/lib/errors/domain-error';
import { exportPortableFlow } from '../transfer/export-portable-flow';
import type { FlowServiceContext } from './flow-context';
import { requireFlow } from './get-flow';
import { parseSubmittedDocument } from './parse-document';

export interface ExportedFlow {
  /** `<slug of the flow's name>.flow.yaml` */
  fileName: string;
  text: string;
}

/**
 * One of the owner's flows as a portable YAML file: its current draft (what the editor shows), with
 * the flow's own name and description, and each account it uses as a placeholder labelled with the
 * account's name. Nothing else of the owner's leaves: no account id, credential or invoke key.
 */
export async function exportFlow(ctx: FlowServiceContext, flowId: string): Promise<ExportedFlow> {
  const flow = await requireFlow(ctx, flowId);
  const version = await findFlowVersion(ctx.db, ctx.ownerId, flow.id);
  if (!version) throw notFound('The flow');
  const document = { ...parseSubmittedDocument(version.document), name: flow.name, description: flow.description };
  const used = new Set(document.nodes.flatMap((n) => (n.params.accountId ? [n.params.accountId] : [])));
  const names = new Map(
    used.size ? (await listAccounts(ctx.db, ctx.ownerId)).filter((a) => used.has(a.id)).map((a) => [a.id, a.name] as const) : [],
  );
  return { fileName: `${fileSlug(flow.name)}.flow.yaml`, text: exportPortableFlow(document, names) };
}

/**
 * A file name from a flow name: lower-case ASCII letters, digits and dashes (safe in a
 * Content-Disposition header and on every file system), `flow` when nothing is left.
 * @example fileSlug('Leads → Contacts (EU)') // 'leads-contacts-eu'
 */
export function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'flow';
}
