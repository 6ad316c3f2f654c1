import { testAccount } from '@/lib/dynamics/accounts/account-service';
import type { AccountContext } from '@/lib/dynamics/accounts/account-context';
import { invalid, notFound, unprocessable } from '@/lib/errors/domain-error';
import type { DraftDocument, FlowDocument } from '@/lib/flows/model/schema';
import { createFlow } from '@/lib/flows/service/create-flow';
import { bindAccounts } from '@/lib/flows/transfer/bind-accounts';
import { loadFlowMetadata } from '@/lib/flows/validation/load-metadata';
import { validateFlow } from '@/lib/flows/validation/validate-flow';
import { templateMismatches, type TemplateMismatch } from './check-template-fit';
import type { AccountCheck, TemplateCheck } from './template-view';
import { templateCatalog, type Template } from './template-catalog';
import { applyTemplateFixes } from './template-fixes';
import type { CheckTemplateRequest, UseTemplateRequest } from './template-requests';

export interface TemplateServiceContext extends AccountContext {
  signal?: AbortSignal;
}

export type { AccountCheck, TemplateCheck } from './template-view';

export function requireTemplate(id: string): Template {
  const template = templateCatalog().byId.get(id);
  if (!template) throw notFound('The template');
  return template;
}

/** The template's flow with the chosen accounts in place of its placeholders. */
function bind(template: Template, accounts: Readonly<Record<string, string>>): FlowDocument | DraftDocument {
  const unknown = Object.keys(accounts).filter((key) => !Object.hasOwn(template.accounts, key));
  if (unknown.length) {
    throw invalid(
      'unknown_placeholder',
      `The template has no account placeholder ${unknown.map((k) => `"${k}"`).join(', ')}; its placeholders: ${Object.keys(
        template.accounts,
      )
        .map((k) => `"${k}"`)
        .join(', ')}.`,
    );
  }
  const bound = bindAccounts(template.portable, accounts);
  if (!bound.ok) throw unprocessable(bound.error.code, bound.error.message, { placeholders: bound.error.placeholders });
  return bound.document;
}

/**
 * Signs in with each chosen account and calls WhoAmI (the accounts service's test, so a stored
 * status follows the answer). An account that is not the caller's is not_found, like one that
 * does not exist: nothing says whose it is.
 */
async function checkAccounts(ctx: TemplateServiceContext, accounts: Readonly<Record<string, string>>): Promise<AccountCheck[]> {
  const results = new Map<string, Promise<{ ok: boolean; message: string }>>();
  for (const id of new Set(Object.values(accounts))) results.set(id, testAccount(ctx, id, ctx.signal));
  const out: AccountCheck[] = [];
  for (const [placeholder, accountId] of Object.entries(accounts)) {
    const result = await results.get(accountId)!;
    out.push({ placeholder, accountId, works: result.ok, ...(result.ok ? {} : { message: result.message }) });
  }
  return out;
}

/** What validateFlow finds in the bound document, read as mismatches with their fixes. */
async function mismatchesOf(ctx: TemplateServiceContext, document: FlowDocument | DraftDocument): Promise<TemplateMismatch[]> {
  const flowCtx = { db: ctx.db, ownerId: ctx.ownerId, signal: ctx.signal };
  const { problems } = await validateFlow(flowCtx, document);
  if (!problems.length) return [];
  // The metadata validateFlow read is in the shared cache: this reads it again without calling Dataverse.
  const metadata = await loadFlowMetadata(flowCtx, document);
  return templateMismatches(document, problems, metadata);
}

/**
 * Whether a template fits the chosen accounts: each account works, and what of the template does
 * not fit their metadata (a missing column or table, a choice the organization does not have),
 * per step and field with a fix. Nothing is created.
 */
export async function checkTemplate(ctx: TemplateServiceContext, id: string, request: CheckTemplateRequest): Promise<TemplateCheck> {
  const template = requireTemplate(id);
  const document = bind(template, request.accounts);
  const accounts = await checkAccounts(ctx, request.accounts);
  const mismatches = await mismatchesOf(ctx, document);
  return { ok: accounts.every((a) => a.works) && mismatches.length === 0, accounts, mismatches };
}

/**
 * A new draft flow from a template: the accounts chosen for its placeholders (each verified to
 * work), the fixes chosen for what did not fit applied, and the result validated. A draft is only
 * made when it has no problem at all, so it opens in the editor ready to test and start; otherwise
 * `account_not_working` or `template_mismatch` (422) says what is left.
 */
export async function createFromTemplate(
  ctx: TemplateServiceContext,
  id: string,
  request: UseTemplateRequest,
): Promise<{ flowId: string }> {
  const template = requireTemplate(id);
  const bound = bind(template, request.accounts);
  const accounts = await checkAccounts(ctx, request.accounts);
  const failing = accounts.filter((a) => !a.works);
  if (failing.length) {
    throw unprocessable(
      'account_not_working',
      failing.map((a) => `${template.accounts[a.placeholder]?.label ?? a.placeholder}: ${a.message}`).join(' '),
      {
        accounts,
      },
    );
  }
  const document = applyTemplateFixes(bound, { leaveOut: request.leaveOut, values: request.values });
  const mismatches = await mismatchesOf(ctx, document);
  if (mismatches.length) {
    throw unprocessable(
      'template_mismatch',
      `${mismatches.length === 1 ? 'One thing' : `${mismatches.length} things`} of the template do not fit the chosen account: fix or leave them out first.`,
      { mismatches },
    );
  }
  const flow = await createFlow(
    { db: ctx.db, ownerId: ctx.ownerId, signal: ctx.signal },
    { name: request.name ?? template.title, document },
  );
  return { flowId: flow.id };
}
