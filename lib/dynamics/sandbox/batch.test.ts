/**
 * Conformance: $batch with change sets and Content-ID references: CRLF and LF-only bodies, atomic
 * change sets, stop-on-first-error versus `odata.continue-on-error`, and the response boundaries.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 */
import { describe, expect, it } from 'vitest';
import { setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox();

async function batch(body: string, boundary: string, headers: Record<string, string> = {}) {
  const res = await t.call('$batch', {
    method: 'POST',
    body,
    headers: { 'content-type': `multipart/mixed;boundary=${boundary}`, ...headers },
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const count = async (set: string, filter: string): Promise<number> =>
  Number(await (await t.call(`${set}/$count?$filter=${encodeURIComponent(filter)}`)).text());

describe('$batch', () => {
  it('CRLF batch: change set with Content-ID reference in a bind, then a GET; response boundaries and parts', async () => {
    const api = t.api;
    const body = [
      '--batch_AAA123',
      'Content-Type: multipart/mixed;boundary=changeset_BBB456',
      '',
      '--changeset_BBB456',
      'Content-Type: application/http',
      'Content-Transfer-Encoding:binary',
      'Content-ID: 1',
      '',
      `POST ${api}/contacts HTTP/1.1`,
      'Content-Type: application/json;type=entry',
      '',
      '{"firstname":"Batch","lastname":"Contact"}',
      '--changeset_BBB456',
      'Content-Type: application/http',
      'Content-Transfer-Encoding:binary',
      'Content-ID: 2',
      '',
      `POST ${api}/accounts HTTP/1.1`,
      'Content-Type: application/json;type=entry',
      '',
      '{"name":"Batch Account","primarycontactid@odata.bind":"$1"}',
      '--changeset_BBB456',
      'Content-Type: application/http',
      'Content-Transfer-Encoding:binary',
      'Content-ID: 3',
      '',
      'PATCH $1 HTTP/1.1',
      'Content-Type: application/json;type=entry',
      '',
      '{"jobtitle":"Linked"}',
      '--changeset_BBB456--',
      '',
      '--batch_AAA123',
      'Content-Type: application/http',
      'Content-Transfer-Encoding:binary',
      '',
      `GET ${api}/accounts?$select=name&$filter=${encodeURIComponent("name eq 'Batch Account'")}&$expand=primarycontactid($select=jobtitle) HTTP/1.1`,
      'Accept: application/json',
      '',
      '--batch_AAA123--',
      '',
    ].join('\r\n');
    const r = await batch(body, 'batch_AAA123');
    expect(r.status).toBe(200);
    const m = /^multipart\/mixed; boundary=(batchresponse_[0-9a-f-]{36})$/.exec(r.type);
    expect(m).not.toBeNull();
    expect(r.text.startsWith(`--${m?.[1] ?? ''}\r\n`)).toBe(true);
    expect(r.text).toMatch(/Content-Type: multipart\/mixed; boundary=changesetresponse_[0-9a-f-]{36}/);
    expect(r.text.match(/HTTP\/1\.1 204 No Content/g)).toHaveLength(3);
    expect(r.text).toMatch(/\r\nLocation: http:\/\/[^\r\n]+\/contacts\([0-9a-f-]{36}\)\r\n/);
    expect(r.text).toMatch(/\r\nOData-EntityId: http:\/\/[^\r\n]+\/contacts\([0-9a-f-]{36}\)\r\n/);
    expect(r.text).toContain('Content-ID: 1');
    expect(r.text).toContain('HTTP/1.1 200 OK');
    expect(r.text).toContain('"jobtitle":"Linked"');
    expect(await count('accounts', "name eq 'Batch Account'")).toBe(1);
  });
  it('LF-only bodies (as dynamics-web-api writes) are accepted', async () => {
    const body = [
      '--b1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `GET ${t.api}/WhoAmI HTTP/1.1`,
      '',
      '--b1--',
      '',
    ].join('\n');
    const r = await batch(body, 'b1');
    expect(r.status).toBe(200);
    expect(r.text).toContain('"UserId":"1b2c3d4e-0003-4a00-8000-000000000001"');
  });
  it('a failing change set rolls back entirely and the batch stops with the failing status', async () => {
    const body = [
      '--batch_x',
      'Content-Type: multipart/mixed; boundary="changeset_y"',
      '',
      '--changeset_y',
      'Content-Type: application/http',
      'Content-ID: 1',
      '',
      'POST /api/data/v9.2/accounts HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"name":"Rolled back"}',
      '--changeset_y',
      'Content-Type: application/http',
      'Content-ID: 2',
      '',
      'POST accounts HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"name":"Bad","Name":"mis-cased"}',
      '--changeset_y--',
      '--batch_x',
      'Content-Type: application/http',
      '',
      'GET accounts?$top=1 HTTP/1.1',
      '',
      '--batch_x--',
    ].join('\r\n');
    const r = await batch(body, 'batch_x');
    expect(r.status).toBe(400);
    expect(r.text).toContain('HTTP/1.1 400 Bad Request');
    expect(r.text).toContain("Invalid property 'Name'");
    expect(r.text).not.toContain('HTTP/1.1 200 OK');
    expect(await count('accounts', "name eq 'Rolled back'")).toBe(0);
  });
  it('odata.continue-on-error keeps going and answers 200; undeclared Content-ID is reported', async () => {
    const body = [
      '--b',
      'Content-Type: application/http',
      '',
      'PATCH $9 HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"name":"x"}',
      '--b',
      'Content-Type: application/http',
      '',
      'POST accounts HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"name":"After error"}',
      '--b--',
    ].join('\n');
    const r = await batch(body, 'b', { prefer: 'odata.continue-on-error' });
    expect(r.status).toBe(200);
    expect(r.text).toContain("Content-ID Reference: '$9' does not exist in the batch context.");
    expect(await count('accounts', "name eq 'After error'")).toBe(1);
  });
});
