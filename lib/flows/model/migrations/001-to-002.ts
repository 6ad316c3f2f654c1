import type { FlowDocumentV1 } from '../schema-v1';
import type { FlowDocumentInput } from '../schema';

/**
 * v1 → v2, losslessly: node ids and types stay as they are; every v1 param other than `accountId`
 * becomes an input (a literal, as v1 had no expressions) and `accountId` stays where the
 * flows-using-accounts query finds it. v2 adds what v1 did not have: typeVersion 1, a position (a
 * left-to-right row, 240 px apart), a name and description (the flow row's, passed in), and edge
 * ids and handles (`next`, or the v1 edge's handle when it named one).
 */
export interface MigrationContext {
  name?: string;
  description?: string;
}

export function migrate001To002(doc: FlowDocumentV1, context: MigrationContext = {}): FlowDocumentInput {
  return {
    schemaVersion: 2,
    name: context.name ?? doc.name ?? '',
    description: context.description ?? doc.description ?? '',
    nodes: doc.nodes.map((node, index) => {
      const { accountId, ...inputs } = node.params;
      return {
        id: node.id,
        type: node.type,
        typeVersion: 1,
        position: { x: index * 240, y: 0 },
        params: { ...(accountId !== undefined ? { accountId: accountId as string } : {}), inputs },
      };
    }),
    edges: doc.edges.map((edge, index) => ({
      id: `e${index + 1}`,
      from: { node: edge.from, handle: edge.handle ?? 'next' },
      to: { node: edge.to },
    })),
  };
}
