import type { DraftDocument, FlowDocument } from '../model/schema';
import type { PortableFlow } from './portable-flow-schema';

export interface BindError {
  code: 'account_required';
  message: string;
  /** The placeholders that still need an account. */
  placeholders: string[];
}

export type BindResult = { ok: true; document: FlowDocument | DraftDocument } | { ok: false; error: BindError };

/**
 * The portable file's flow with real account ids: each Dynamics step's placeholder replaced by the
 * account chosen for it. Every declared placeholder needs one (`account_required` names those
 * without); whether an account is the caller's own is the service's check, not this pure step's.
 *
 * @example bindAccounts(portable, { sales: '01JB8Z…' }) // { ok: true, document }
 */
export function bindAccounts(portable: PortableFlow, accounts: Readonly<Record<string, string>>): BindResult {
  const missing = Object.keys(portable.accounts).filter((key) => !Object.hasOwn(accounts, key) || !accounts[key]);
  if (missing.length) {
    const labels = missing.map((key) => `"${portable.accounts[key]!.label}"`).join(', ');
    return {
      ok: false,
      error: { code: 'account_required', message: `Choose an account for ${labels}.`, placeholders: missing },
    };
  }
  const document = {
    ...portable.flow,
    nodes: portable.flow.nodes.map((node) =>
      node.params.accountId === undefined ? node : { ...node, params: { ...node.params, accountId: accounts[node.params.accountId]! } },
    ),
  } as FlowDocument | DraftDocument;
  return { ok: true, document };
}
