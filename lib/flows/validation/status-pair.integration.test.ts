// The flow's validation refuses a literal statecode/statuscode pair that does not belong together,
// on the status reason's field, from the sandbox's metadata over real HTTP (the schema's own check
// is in lib/dynamics/connector/form/status-reasons.integration.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetadataCache } from '@/lib/dynamics/metadata/metadata-cache';
import type { TableDirectory, TableSchema } from '@/lib/dynamics/metadata/types';
import type { FlowNode } from '../model/schema';
import { actionProblems } from './action-checks';
import { sandboxAccount, type SandboxAccount } from '@/test/support/sandbox-client';

let env: SandboxAccount;
let account: TableSchema;
let directory: TableDirectory;

beforeAll(async () => {
  env = await sandboxAccount();
  const cache = new MetadataCache();
  account = await cache.table(env.client, 'account');
  directory = await cache.tables(env.client);
});
afterAll(async () => {
  await env?.close();
});

describe('status and status reason in a step', () => {
  it("the flow's validation reports the mismatch on the status reason field", () => {
    const node = {
      id: 'sUpdate00001',
      type: 'dynamics.account.update',
      typeVersion: 1,
      name: 'Deactivate',
      position: { x: 0, y: 0 },
      params: {
        accountId: 'a',
        inputs: {
          match: { by: 'id', id: { expr: '$trigger.accountid' } },
          fields: { statecode: 1, statuscode: 'Active' },
        },
      },
    } as unknown as FlowNode;
    const problems = actionProblems(node, 'update', account, directory);
    expect(problems).toEqual([
      expect.objectContaining({
        nodeId: 'sUpdate00001',
        field: 'params.inputs.fields.statuscode',
        message: expect.stringContaining('does not belong to Status "Inactive"') as unknown as string,
      }),
    ]);
  });
});
