/**
 * The app's sandbox organization survives restarts: data, refresh tokens and the signing key are
 * persisted under the data directory (the app's mount is tested in app/sandbox).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordToken, startSandbox } from '../../../test/support/sandbox';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistent storage', () => {
  it('keeps created rows, refresh tokens and the signing key across a restart', async () => {
    const first = await startSandbox({ storage: { dir } });
    const tokens = await passwordToken(first.service);
    const res = await first.call('accounts', { method: 'POST', body: JSON.stringify({ name: 'Survivor' }) });
    expect(res.status).toBe(204);
    first.sandbox.flush();
    await first.close();
    expect(statSync(join(dir, 'signing-key.json')).mode & 0o777).toBe(0o600);
    const db = new Database(join(dir, 'sandbox.sqlite'), { readonly: true });
    expect(db.prepare(`SELECT count(*) AS n FROM journal WHERE tbl = 'account' AND data LIKE '%Survivor%'`).get()).toEqual({ n: 1 });
    db.close();

    const second = await startSandbox({ storage: { dir } });
    const count = await second.call(`accounts/$count?$filter=${encodeURIComponent("name eq 'Survivor'")}`);
    expect(await count.text()).toBe('1');
    // The new server listens on another port (another service URL), but the persisted refresh token
    // and signing key still work.
    const refreshed = await fetch(`${second.service}/login/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
        refresh_token: String(tokens.refresh_token),
        scope: `${second.service}/.default offline_access`,
      }),
    });
    expect(refreshed.status).toBe(200);
    await second.close();
  });
});

describe('persistent many-to-many associations', () => {
  it('an association made through $ref is there after a restart, and its removal too', async () => {
    const assocDir = mkdtempSync(join(tmpdir(), 'sandbox-persist-nn-'));
    try {
      const first = await startSandbox({ storage: { dir: assocDir } });
      const lead = ((await (await first.call('leads?$select=leadid&$top=1')).json()) as { value: Array<{ leadid: string }> }).value[0];
      const account = ((await (await first.call('accounts?$select=accountid&$top=2')).json()) as { value: Array<{ accountid: string }> })
        .value;
      for (const a of account)
        await first.call(`leads(${lead?.leadid})/accountleads_association/$ref`, {
          method: 'POST',
          body: JSON.stringify({ '@odata.id': `accounts(${a.accountid})` }),
        });
      await first.call(`leads(${lead?.leadid})/accountleads_association(${account[1]?.accountid})/$ref`, { method: 'DELETE' });
      first.sandbox.flush();
      await first.close();

      const second = await startSandbox({ storage: { dir: assocDir } });
      const related = (await (await second.call(`leads(${lead?.leadid})/accountleads_association/$ref`)).json()) as {
        value: Array<{ '@odata.id': string }>;
      };
      expect(related.value.map((r) => r['@odata.id'])).toEqual([`${second.api}/accounts(${account[0]?.accountid})`]);
      await second.close();
    } finally {
      rmSync(assocDir, { recursive: true, force: true });
    }
  });
});
