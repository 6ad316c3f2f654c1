// Test support (imported by *.test.ts and benches only): small flow documents built from a chain
// of nodes, and a way to wait for a run to end.
import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from '@/lib/db/database';
import { createFlow } from '@/lib/db/repositories/flows';

export interface NodeSpec {
  id: string;
  type: string;
  inputs?: Record<string, unknown>;
  accountId?: string;
  retry?: { maxAttempts: number; delaySeconds?: number; backoff?: 'fixed' | 'exponential' };
  onError?: 'fail' | 'continue' | 'route';
}

export interface EdgeSpec {
  from: string;
  handle?: string;
  to: string;
}

/** A v2 document of `nodes`, connected by `edges` (default: each node's `next` to the following one). */
export function flowDoc(nodes: NodeSpec[], edges?: EdgeSpec[]) {
  const links: EdgeSpec[] = edges ?? nodes.slice(1).map((n, i) => ({ from: nodes[i]!.id, to: n.id }));
  return {
    schemaVersion: 2,
    name: 'test flow',
    nodes: nodes.map((n, i) => ({
      id: n.id,
      type: n.type,
      typeVersion: 1,
      position: { x: i * 240, y: 0 },
      params: {
        inputs: n.inputs ?? {},
        ...(n.accountId ? { accountId: n.accountId } : {}),
        ...(n.retry ? { retry: n.retry } : {}),
        ...(n.onError ? { onError: n.onError } : {}),
      },
    })),
    edges: links.map((e, i) => ({ id: `e${i + 1}`, from: { node: e.from, handle: e.handle ?? 'next' }, to: { node: e.to } })),
  };
}

/** Stores `doc` as version 1 of a new flow of `ownerId`; returns the flow id. */
export async function storeFlow(db: Db, ownerId: string, doc: unknown): Promise<string> {
  const { flow } = await createFlow(db, ownerId, { name: `flow ${Math.random().toString(36).slice(2)}`, document: doc });
  return flow.id;
}

export interface RunRow {
  id: string;
  status: string;
  error: { code: string; message: string; nodeId?: string; stepKey?: string } | null;
  response: unknown;
}

/** Waits until every run in `ids` is terminal (succeeded, failed, cancelled); throws after `timeoutMs`. */
export async function waitForRuns(db: Db, ids: readonly string[], timeoutMs = 20_000): Promise<RunRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.db.selectFrom('runs').select(['id', 'status', 'error_json', 'response_json']).where('id', 'in', ids).execute();
    const done = rows.filter((r) => ['succeeded', 'failed', 'cancelled'].includes(r.status));
    if (done.length === ids.length) {
      const byId = new Map(
        rows.map((r) => [
          r.id,
          {
            id: r.id,
            status: r.status,
            error: r.error_json ? (JSON.parse(r.error_json) as RunRow['error']) : null,
            response: r.response_json ? (JSON.parse(r.response_json) as unknown) : null,
          },
        ]),
      );
      return ids.map((id) => byId.get(id)!);
    }
    if (Date.now() > deadline) throw new Error(`${ids.length - done.length} of ${ids.length} runs did not end within ${timeoutMs} ms`);
    await delay(20);
  }
}
