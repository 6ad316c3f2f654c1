/**
 * Conformance: smaller platform behaviours — `not` over a query function, an expired change-tracking
 * token, the global choices in GlobalOptionSetDefinitions, and the service-protection headers.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows#limitations-of-query-functions
 *        https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import { describe, expect, it } from 'vitest';
import { setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

type Row = Record<string, unknown>;
type Page = { value: Row[] } & Row;
type Failure = { error: { code: string; message: string } };
const q = (s: string): string => encodeURIComponent(s);

describe('Limitations of query functions', () => {
  it('not over a query function is refused with the platform message; the function alone works', async () => {
    const bad = await t.json<Failure>(`accounts?$select=name&$filter=${q("not Microsoft.Dynamics.CRM.Today(PropertyName='createdon')")}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Not operator along with the Custom Named Condition operators is not allowed');
    const nested = await t.json<Failure>(
      `accounts?$select=name&$filter=${q("not (name ne null and Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7))")}`,
    );
    expect(nested.status).toBe(400);
    const ok = await t.json<Page>(`accounts?$select=name&$filter=${q("Microsoft.Dynamics.CRM.Today(PropertyName='createdon')")}`);
    expect(ok.status).toBe(200);
    const plainNot = await t.json<Page>(`accounts?$select=name&$filter=${q("not contains(name,'zzz')")}`);
    expect(plainNot.status).toBe(200);
  });
});

describe('Change tracking: an expired token', () => {
  it('a delta token older than the retention is 400 0x80044352 ExpiredVersionStamp', async () => {
    const r = await t.json<Failure>(`leads?$select=subject&$deltatoken=${q('1000!01/01/2020 00:00:00')}`);
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({
      code: '0x80044352',
      message: 'Version stamp associated with the client has expired. Please perform a full sync.',
    });
  });
});

describe('GlobalOptionSetDefinitions', () => {
  it('lists the global choices the tables use once each, by name, and as the column GlobalOptionSet', async () => {
    const all = await t.json<Page>('GlobalOptionSetDefinitions?$select=Name,IsGlobal');
    expect(all.status).toBe(200);
    const names = all.body.value.map((o) => o.Name).sort();
    expect(names).toEqual(['paymentterms', 'shippingmethodcode']);
    for (const o of all.body.value) expect(o.IsGlobal).toBe(true);
    const one = await t.json<Row>(`GlobalOptionSetDefinitions(Name='paymentterms')`);
    expect(one.body).toMatchObject({ Name: 'paymentterms', OptionSetType: 'Picklist' });
    expect((one.body.Options as Row[]).map((o) => o.Value)).toEqual([1, 2, 3, 4]);
    const attr = await t.json<Row>(
      `EntityDefinitions(LogicalName='invoice')/Attributes(LogicalName='paymenttermscode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=GlobalOptionSet($select=Name)`,
    );
    expect((attr.body.GlobalOptionSet as Row).MetadataId).toBe(one.body.MetadataId);
    const missing = await t.json<Failure>(`GlobalOptionSetDefinitions(Name='nope')`);
    expect(missing.status).toBe(404);
  });
});

describe('Service protection headers', () => {
  it('responses carry the requests and the combined execution time remaining', async () => {
    const res = await t.call('accounts?$select=name&$top=1');
    expect(Number(res.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests'))).toBeGreaterThan(0);
    const time = res.headers.get('x-ms-ratelimit-time-remaining-xrm-requests') ?? '';
    expect(time).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    const ms = Number(time.replaceAll(',', ''));
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(1_200_000);
  });
});
