// Status reasons in the connector's inputs, from the sandbox's metadata over real HTTP: each status
// reason carries its status so the form offers only the chosen status's reasons, and a literal pair
// that does not belong together is refused by the input schema (and so by the flow's validation)
// before anything runs (lib/flows/validation/status-pair.integration.test.ts: the flow's validation).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetadataCache } from '../../metadata/metadata-cache';
import type { TableDirectory, TableSchema } from '../../metadata/types';
import { describeForm } from '../../../forms/describe-form';
import { choicesFor } from '../../../forms/choices-for';
import { resolveAction } from '../execute-action';
import { fieldsSchema } from './column-schema';
import { sandboxAccount, type SandboxAccount } from '../../../../test/support/sandbox-client';

let env: SandboxAccount;
let cache: MetadataCache;
let account: TableSchema;
let directory: TableDirectory;

beforeAll(async () => {
  env = await sandboxAccount();
  cache = new MetadataCache();
  account = await cache.table(env.client, 'account');
  directory = await cache.tables(env.client);
});
afterAll(async () => {
  await env?.close();
});

describe('status reasons follow the status', () => {
  it("the form's status reason choices carry their status and narrow to the chosen one", async () => {
    const { schema } = await resolveAction(env.client, 'dynamics.account.update', cache);
    const fields = describeForm(schema as never).fields;
    const status = fields.find((f) => f.name === 'fields.statuscode');
    const state = fields.find((f) => f.name === 'fields.statecode');
    expect(status?.choicesBy).toBe('statecode');
    expect(status?.choices).toEqual([
      { value: 1, label: 'Active', state: 0 },
      { value: 2, label: 'Inactive', state: 1 },
    ]);
    expect(choicesFor(status ?? {}, state, 1)?.map((c) => c.label)).toEqual(['Inactive']);
    expect(choicesFor(status ?? {}, state, 'Active')?.map((c) => c.label)).toEqual(['Active']);
  });

  it('a mismatching literal pair is refused before running; a matching one or an expression passes', () => {
    const schema = fieldsSchema(account, directory, 'update');
    const bad = schema.safeParse({ statecode: 1, statuscode: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['statuscode'],
      message: 'Status Reason "Active" does not belong to Status "Inactive": choose "Inactive".',
    });
    expect(schema.safeParse({ statecode: 1, statuscode: 2 }).success).toBe(true);
    expect(schema.safeParse({ statecode: 'Inactive', statuscode: 'Inactive' }).success).toBe(true);
  });
});
