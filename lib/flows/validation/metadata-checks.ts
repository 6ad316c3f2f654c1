import { parseId } from '@/lib/dynamics/connector/ids';
import type { Problem } from '../model/problem';
import type { FlowDocument, FlowNode } from '../model/schema';
import { actionProblems } from './action-checks';
import type { FlowMetadata } from './flow-metadata';
import { triggerProblems } from './trigger-checks';

const label = (node: FlowNode) => (node.name ? `"${node.name}" (${node.id})` : node.id);

/**
 * Whether each Dynamics step fits its account's metadata, from metadata loaded beforehand
 * (load-metadata.ts). Pure. An account that is missing, needs reconnecting or cannot be reached
 * gives one problem per step using it; a step whose account was not loaded is skipped.
 */
export function metadataProblems(doc: Pick<FlowDocument, 'nodes'>, metadata: FlowMetadata): Problem[] {
  return doc.nodes.flatMap((node): Problem[] => {
    const parsed = parseId(node.type);
    const accountId = node.params.accountId;
    if (!parsed || accountId === undefined) return [];
    const account = metadata.get(accountId);
    if (!account) return [];
    const at = (code: string, message: string, field = 'params.accountId'): Problem[] => [{ nodeId: node.id, field, code, message }];
    switch (account.status) {
      case 'missing':
        return at('account_missing', `${label(node)} runs as an account that does not exist (any more): choose one of your accounts.`);
      case 'needs_reconnect':
        return at(
          'account_needs_reconnect',
          `${label(node)} runs as ${account.name}, which needs reconnecting (${account.reason}): update its credentials in the Catalog.`,
        );
      case 'unreachable':
        return at('account_unreachable', `${label(node)}: its account could not be reached to check it (${account.message}).`);
    }
    if (!account.directory.tables.some((t) => t.logicalName === parsed.table)) {
      return at('unknown_table', `${account.name} has no table "${parsed.table}" usable through the Web API.`, 'type');
    }
    const table = account.tables.get(parsed.table);
    if (!table) return [];
    if ('error' in table) {
      return at(
        'account_unreachable',
        `${label(node)}: the ${parsed.table} table of ${account.name} could not be read to check it (${table.error}).`,
      );
    }
    return parsed.action ? actionProblems(node, parsed.action, table, account.directory) : triggerProblems(node, parsed.event, table);
  });
}
