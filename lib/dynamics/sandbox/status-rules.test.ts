/**
 * Conformance: status and status reason. A statuscode belongs to one statecode: on create, on
 * update and with a state change a reason of another state is refused (400 0x80048408, "<n> is not a
 * valid status code for state code <Table>State.<State> on <table> with Id <id>."); a statecode alone
 * gets the state's default status; an undefined choice value gets the platform's full message with
 * the accepted values (0x8004431a).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#update-with-data-returned
 *        https://learn.microsoft.com/power-apps/developer/data-platform/entity-attribute-metadata#status-and-status-reason-columns
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

type Failure = { error: { code: string; message: string } };
const idFrom = (res: Response): string => /\(([^)]+)\)$/.exec(res.headers.get('OData-EntityId') ?? '')?.[1] ?? '';

describe('Status and status reason columns', () => {
  it('create: a status reason of another state than the default one is refused with the platform message', async () => {
    const r = await t.json<Failure>('leads', { method: 'POST', ...jsonBody({ subject: 's', lastname: 'l', statuscode: 4 }) });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('0x80048408');
    expect(r.body.error.message).toMatch(/^4 is not a valid status code for state code LeadState\.Open on lead with Id [0-9a-f-]{36}\.$/);
    const ok = await t.call('leads', { method: 'POST', ...jsonBody({ subject: 's', lastname: 'l', statuscode: 2 }) });
    expect(ok.status).toBe(204);
  });

  it('update: a reason of another state alone, or with a state it does not belong to, is refused; the matching pair is written', async () => {
    const created = await t.call('accounts', { method: 'POST', ...jsonBody({ name: 'Status rules' }) });
    const id = idFrom(created);
    const alone = await t.json<Failure>(`accounts(${id})`, { method: 'PATCH', ...jsonBody({ statuscode: 2 }) });
    expect(alone.status).toBe(400);
    expect(alone.body.error).toEqual({
      code: '0x80048408',
      message: `2 is not a valid status code for state code AccountState.Active on account with Id ${id}.`,
    });
    const pair = await t.json<Failure>(`accounts(${id})`, { method: 'PATCH', ...jsonBody({ statecode: 1, statuscode: 1 }) });
    expect(pair.status).toBe(400);
    expect(pair.body.error.message).toBe(`1 is not a valid status code for state code AccountState.Inactive on account with Id ${id}.`);
    const unchanged = await t.json<Record<string, unknown>>(`accounts(${id})?$select=statecode,statuscode`);
    expect(unchanged.body).toMatchObject({ statecode: 0, statuscode: 1 });
    expect((await t.call(`accounts(${id})`, { method: 'PATCH', ...jsonBody({ statecode: 1, statuscode: 2 }) })).status).toBe(204);
    const moved = await t.json<Record<string, unknown>>(`accounts(${id})?$select=statecode,statuscode`);
    expect(moved.body).toMatchObject({ statecode: 1, statuscode: 2 });
  });

  it('an undefined option value of any choice gets the full message with the accepted values', async () => {
    const r = await t.json<Failure>('leads', { method: 'POST', ...jsonBody({ subject: 's', lastname: 'l', leadqualitycode: 9 }) });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({
      code: '0x8004431a',
      message:
        "A validation error occurred. The value 9 of 'leadqualitycode' on record of type 'lead' is outside the valid range. Accepted Values: 1,2,3",
    });
    const status = await t.json<Failure>('leads', { method: 'POST', ...jsonBody({ subject: 's', lastname: 'l', statuscode: 99 }) });
    expect(status.body.error.message).toBe(
      "A validation error occurred. The value 99 of 'statuscode' on record of type 'lead' is outside the valid range. Accepted Values: 1,2,3,4,5,6,7",
    );
  });
});
