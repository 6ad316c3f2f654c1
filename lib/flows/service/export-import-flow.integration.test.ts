/**
 * Export and import through the services: real account rows in SQLite and PostgreSQL, the
 * sandbox over real HTTP (imported drafts are validated against its metadata), two owners.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAccount } from '@/lib/dynamics/accounts/account-service';
import { DomainError } from '@/lib/errors/domain-error';
import { ApiError } from '@/lib/server/api-error';
import { toApiError } from '@/lib/server/domain-to-http';
import { withPortableFlowStatus } from '@/lib/server/portable-flow-status';
import { createTestUser, DATABASE_KINDS, openTestDb, type TestDb } from '@/test/support/db';
import { appSandboxForTests } from '@/test/support/app-sandbox';
import { MAX_PORTABLE_FLOW_BYTES } from '../transfer/parse-portable-flow';
import { createFlow } from './create-flow';
import { exportFlow, fileSlug } from './export-flow';
import type { FlowServiceContext } from './flow-context';
import { getFlow } from './get-flow';
import { importFlow, inspectImport } from './import-flow';

const app = appSandboxForTests(9);

const fixture = (name: string): { nodes: { params: { accountId?: string } }[] } & Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as never;

/** A fixture with every Dynamics step on `accountId`. */
function onAccount(name: string, accountId: string) {
  const doc = fixture(name);
  for (const node of doc.nodes) if (node.params.accountId) node.params.accountId = accountId;
  return doc;
}

async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const err = await withPortableFlowStatus(() => call).then(
    () => undefined,
    (e: unknown) => e,
  );
  const api = err instanceof ApiError ? err : toApiError(err);
  expect(api, String(err)).toBeInstanceOf(ApiError);
  return api as ApiError;
}

describe.each(DATABASE_KINDS)('exportFlow, inspectImport and importFlow on %s', (kind) => {
  let db: TestDb;
  let owner: FlowServiceContext;
  let stranger: FlowServiceContext;
  let accountId: string;
  let strangersAccountId: string;

  beforeAll(async () => {
    db = await openTestDb(kind);
    const appOrigin = new URL(app.sandbox.service).origin;
    const connect = async (ownerId: string, name: string) =>
      (
        await connectAccount(
          { db, ownerId, appOrigin },
          {
            method: 'password',
            name,
            serviceUrl: app.sandbox.service,
            clientId: 'sandbox-client',
            clientSecret: 'sandbox-secret',
            username: 'sales@sandbox.local',
            password: 'sandbox',
          },
        )
      ).id;
    owner = { db, ownerId: (await createTestUser(db, 'exporter')).id };
    stranger = { db, ownerId: (await createTestUser(db, 'stranger')).id };
    accountId = await connect(owner.ownerId, 'Contoso Sales');
    strangersAccountId = await connect(stranger.ownerId, 'Stranger sales');
  });
  afterAll(() => db.close());

  it('exports the current draft under the flow name, with the account as a labelled placeholder and no secret', async () => {
    const created = await createFlow(owner, { name: 'Accounts → CRM (EU)', document: onAccount('dynamics-action-create', accountId) });
    expect(created.problems).toEqual([]);
    const exported = await exportFlow(owner, created.id);
    expect(exported.fileName).toBe('accounts-crm-eu.flow.yaml');
    expect(exported.text).toContain('accounts:\n  contoso-sales:\n    label: Contoso Sales\n');
    expect(exported.text).toContain('name: Accounts → CRM (EU)');
    for (const secret of [accountId, created.id, 'sandbox-secret', 'sales@sandbox.local', app.sandbox.service, owner.ownerId]) {
      expect(exported.text).not.toContain(secret);
    }
  });

  it("refuses to export another owner's flow as not_found", async () => {
    const created = await createFlow(owner, { document: fixture('toolbox-log') });
    const err = await refusal(exportFlow(stranger, created.id));
    expect([err.status, err.code]).toEqual([404, 'not_found']);
  });

  it('inspects a file: name, step count, and each placeholder with its label and tables', async () => {
    const created = await createFlow(owner, { name: 'Upsert', document: onAccount('dynamics-action-upsert', accountId) });
    const { text } = await exportFlow(owner, created.id);
    const preview = await inspectImport(text);
    expect(preview).toMatchObject({ format: 'dynamics-flow-designer/flow', name: 'Upsert', nodeCount: 2 });
    expect(preview.placeholders).toEqual([{ key: 'contoso-sales', label: 'Contoso Sales', tables: ['contact'] }]);
  });

  it('round trip: export, then import as another draft on the same account, gives an equal document with no problems', async () => {
    for (const name of ['dynamics-event-new', 'dynamics-action-update', 'toolbox-if', 'api-request-response', 'toolbox-fail']) {
      const created = await createFlow(owner, { name, document: onAccount(name, accountId) });
      const { text } = await exportFlow(owner, created.id);
      const accounts = Object.fromEntries((await inspectImport(text)).placeholders.map((p) => [p.key, accountId]));
      const { flowId } = await importFlow(owner, { text, accounts });
      expect(flowId).not.toBe(created.id);
      const imported = await getFlow(owner, flowId);
      expect(imported).toMatchObject({ name, status: 'draft', currentVersion: 1, publishedVersion: null, problems: [] });
      // The file carries the flow's own name and description (the row's, which the dashboard shows), so the copy keeps them.
      expect(imported.document, name).toEqual({ ...(created.document as object), name, description: created.description });
    }
  });

  it('imports onto another account of the caller, and only the caller sees the new flow', async () => {
    const created = await createFlow(owner, { document: onAccount('dynamics-action-create', accountId) });
    const { text } = await exportFlow(owner, created.id);
    const { flowId } = await importFlow(stranger, { text, accounts: { 'contoso-sales': strangersAccountId } });
    const imported = await getFlow(stranger, flowId);
    expect(imported.accounts).toEqual([strangersAccountId]);
    const err = await refusal(getFlow(owner, flowId));
    expect(err.status).toBe(404);
  });

  it("refuses another user's account, or an id that is nobody's, as the same 404 account_not_found, and creates nothing", async () => {
    const created = await createFlow(owner, { document: onAccount('dynamics-action-create', accountId) });
    const { text } = await exportFlow(owner, created.id);
    const count = async () => (await db.db.selectFrom('flows').select('id').where('owner_id', '=', stranger.ownerId).execute()).length;
    const before = await count();
    const theirs = await refusal(importFlow(stranger, { text, accounts: { 'contoso-sales': accountId } }));
    const nobodys = await refusal(importFlow(stranger, { text, accounts: { 'contoso-sales': '01JB8ZJ5Q3M4N5P6R7S8T9V0WX' } }));
    for (const err of [theirs, nobodys]) {
      expect([err.status, err.code]).toEqual([404, 'account_not_found']);
      expect(err.message).toBe('The account chosen for "Contoso Sales" was not found.');
    }
    expect(await count()).toBe(before);
  });

  it('refuses a missing account choice with 400 account_required', async () => {
    const created = await createFlow(owner, { document: onAccount('dynamics-action-create', accountId) });
    const { text } = await exportFlow(owner, created.id);
    const err = await refusal(importFlow(owner, { text, accounts: {} }));
    expect([err.status, err.code]).toEqual([400, 'account_required']);
    expect(err.details).toEqual({ placeholders: ['contoso-sales'] });
  });

  it('refuses files that cannot be imported with their code: 413 for too large, 400 for the rest', async () => {
    const tooBig = await refusal(inspectImport('#'.repeat(MAX_PORTABLE_FLOW_BYTES + 1)));
    expect([tooBig.status, tooBig.code]).toEqual([413, 'too_large']);
    const notYaml = await refusal(importFlow(owner, { text: 'format: [', accounts: {} }));
    expect([notYaml.status, notYaml.code]).toEqual([400, 'not_yaml']);
    const newer = await refusal(inspectImport('format: dynamics-flow-designer/flow\nformatVersion: 9\naccounts: {}\nflow: {}\n'));
    expect([newer.status, newer.code]).toEqual([400, 'newer_format']);
    expect(newer).not.toBeInstanceOf(DomainError);
  });

  it.each([
    ['Leads → Contacts (EU)', 'leads-contacts-eu'],
    ['"quoted"; filename=evil.sh', 'quoted-filename-evil-sh'],
    ['日本', 'flow'],
  ])('fileSlug(%s) = %s', (name, slug) => {
    expect(fileSlug(name)).toBe(slug);
  });
});
