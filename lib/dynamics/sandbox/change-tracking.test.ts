/**
 * Conformance: change tracking with delta links (`Prefer: odata.track-changes`, delta tokens,
 * `$deletedEntity` entries, and the query options it rejects).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

type Row = Record<string, unknown>;
type Page = { value: Row[]; '@odata.deltaLink'?: string; '@odata.nextLink'?: string; '@odata.context': string };

describe('change tracking', () => {
  it('initial sync returns all rows and a deltaLink; the next poll returns new, changed and deleted rows', async () => {
    const first = await t.call('leads?$select=subject,lastname', { headers: { prefer: 'odata.track-changes' } });
    expect(first.headers.get('preference-applied')).toBe('odata.track-changes');
    const page = (await first.json()) as Page;
    expect(page.value).toHaveLength(40);
    const delta = page['@odata.deltaLink'] ?? '';
    expect(delta).toMatch(
      /\/api\/data\/v9\.2\/leads\?\$select=subject,lastname&\$deltatoken=\d+%21\d{2}%2f\d{2}%2f\d{4}%20\d{2}%3a\d{2}%3a\d{2}$/,
    );
    const token = new URL(delta).searchParams.get('$deltatoken') ?? '';
    expect(token).toMatch(/^\d+!\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);

    const quiet = (await (await t.call(delta)).json()) as Page;
    expect(quiet.value).toEqual([]);
    expect(quiet['@odata.context']).toBe(`${t.api}/$metadata#leads(subject,lastname)/$delta`);

    const created = await t.call('leads', { method: 'POST', ...jsonBody({ subject: 'New', lastname: 'Delta' }) });
    const newId = /\(([0-9a-f-]{36})\)/.exec(created.headers.get('odata-entityid') ?? '')?.[1];
    const changedId = String(page.value[0]?.leadid);
    const deletedId = String(page.value[1]?.leadid);
    await t.call(`leads(${changedId})`, { method: 'PATCH', ...jsonBody({ subject: 'Changed' }) });
    await t.call(`leads(${deletedId})`, { method: 'DELETE' });
    const tempRes = await t.call('leads', { method: 'POST', ...jsonBody({ subject: 'Temp', lastname: 'Gone' }) });
    const tempId = /\(([0-9a-f-]{36})\)/.exec(tempRes.headers.get('odata-entityid') ?? '')?.[1];
    await t.call(`leads(${String(tempId)})`, { method: 'DELETE' });

    const changes = (await (await t.call(quiet['@odata.deltaLink'] ?? '')).json()) as Page;
    const rows = changes.value.filter((r) => !('reason' in r));
    const deleted = changes.value.filter((r) => r.reason === 'deleted');
    expect(rows.map((r) => r.leadid).sort()).toEqual([newId, changedId].sort());
    expect(rows.find((r) => r.leadid === changedId)?.subject).toBe('Changed');
    expect(deleted.map((d) => d.id).sort()).toEqual([deletedId, tempId].sort());
    expect(deleted[0]?.['@odata.context']).toBe(`${t.api}/$metadata#leads/$deletedEntity`);
    expect(changes.value.indexOf(deleted[0] ?? {})).toBeGreaterThan(changes.value.indexOf(rows[rows.length - 1] ?? {}));
    const after = (await (await t.call(changes['@odata.deltaLink'] ?? '')).json()) as Page;
    expect(after.value).toEqual([]);
  });
  it('initial sync pages with maxpagesize, deltaLink only on the last page; delta pages too', async () => {
    let url = `${t.api}/contacts?$select=fullname`;
    let rows = 0;
    let delta: string | undefined;
    for (;;) {
      const body = (await (await t.call(url, { headers: { prefer: 'odata.track-changes,odata.maxpagesize=80' } })).json()) as Page;
      rows += body.value.length;
      if (body['@odata.nextLink']) {
        expect(body['@odata.deltaLink']).toBeUndefined();
        expect(decodeURIComponent(body['@odata.nextLink'])).toContain('istracking="True"');
        url = body['@odata.nextLink'];
        continue;
      }
      delta = body['@odata.deltaLink'];
      break;
    }
    expect(rows).toBe(200);
    for (let i = 0; i < 5; i++) await t.call('contacts', { method: 'POST', ...jsonBody({ lastname: `D${i}` }) });
    const p1 = (await (await t.call(delta ?? '', { headers: { prefer: 'odata.maxpagesize=3' } })).json()) as Page;
    expect(p1.value).toHaveLength(3);
    const p2 = (await (await t.call(p1['@odata.nextLink'] ?? '', { headers: { prefer: 'odata.maxpagesize=3' } })).json()) as Page;
    expect(p2.value).toHaveLength(2);
    expect(p2['@odata.deltaLink']).toBeDefined();
  });
  it('$filter/$orderby/$expand/$top are rejected with track-changes; tables without change tracking refuse', async () => {
    for (const opt of ['$filter=statecode eq 0', '$orderby=subject', '$top=1', '$expand=parentaccountid']) {
      const r = await t.json<{ error: { message: string } }>(`leads?$select=subject&${opt}`, {
        headers: { prefer: 'odata.track-changes' },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(
        `The "${opt.split('=')[0] ?? ''}" query parameter isn't supported when Change Tracking is enabled.`,
      );
    }
    const r = await t.json<{ error: { message: string } }>('businessunits?$select=name', { headers: { prefer: 'odata.track-changes' } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("isn't enabled for change tracking");
  });
  it('a malformed delta token is 400', async () => {
    expect((await t.call('leads?$select=subject&$deltatoken=garbage')).status).toBe(400);
  });
});
