/**
 * Robustness (errors are answered, never a server fault): malformed paths, query options, bodies and
 * token requests get 4xx Dataverse or AAD errors, never 5xx or a dropped socket.
 */
import { expect, it } from 'vitest';
import { setupTestSandbox } from '../../../test/support/sandbox';

const t = setupTestSandbox({ reset: false });

const paths = [
  'accounts',
  'accounts()',
  'accounts(abc)',
  "accounts('x')",
  'accounts(00000000-0000-0000-0000-000000000000)',
  'accounts(accountnumber=)',
  "accounts(accountnumber='A')",
  'accounts?$filter=',
  'accounts?$filter=name eq',
  "accounts?$filter=name eq 'x' and",
  'accounts?$filter=((((',
  'accounts?$select=',
  'accounts?$select=nope',
  'accounts?$top=-1',
  'accounts?$top=abc',
  'accounts?$orderby=',
  'accounts?$expand=',
  'accounts?$expand=primarycontactid($select=)',
  'accounts?$skiptoken=garbage',
  "accounts?$filter=Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=[)",
  'accounts?$count=maybe',
  'accounts/$count',
  'accounts(00000000-0000-0000-0000-000000000000)/name/$value',
  'EntityDefinitions',
  "EntityDefinitions(LogicalName='nope')",
  "EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.Nope",
  'EntityDefinitions?$filter=garbage',
  '$batch',
  '$metadata',
  'WhoAmI(',
  'contacts?$filter=_parentcustomerid_value eq garbage',
  'contacts?$filter=createdon gt 2020-13-45',
  '%',
  'accounts?$filter=%',
  '../../etc/passwd',
];
const bodies = [
  '',
  '{',
  '[]',
  'null',
  '"x"',
  '{"name": {"a": 1}}',
  '{"primarycontactid@odata.bind": 5}',
  '{"revenue": "lots"}',
  '{"statecode": 99}',
  '{"@odata.type": "#x"}',
  'x'.repeat(70000),
];
const methods = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

it('the Web API never answers 5xx to malformed requests', async () => {
  const bad: string[] = [];
  for (const p of paths)
    for (const m of methods)
      for (const b of m === 'GET' || m === 'DELETE' ? [''] : bodies) {
        const res = await fetch(`${t.api}/${p}`, {
          method: m,
          body: b || undefined,
          headers: {
            authorization: `Bearer ${await t.token()}`,
            'content-type': p === '$batch' ? 'multipart/mixed; boundary=batch_x' : 'application/json',
          },
        }).catch((e) => ({ status: 0, text: async () => String(e) }));
        if (res.status >= 500 || res.status === 0)
          bad.push(`${m} ${p} ${b.slice(0, 30)} -> ${res.status} ${(await res.text()).slice(0, 160)}`);
      }
  expect(bad).toEqual([]);
}, 120_000);

it('the identity endpoint never answers 5xx to malformed token and authorize requests', async () => {
  const forms = [
    '',
    'grant_type=',
    'grant_type=password',
    'grant_type=password&client_id=sandbox-client',
    'grant_type=refresh_token&client_id=sandbox-client&client_secret=sandbox-secret&refresh_token=garbage',
    'grant_type=authorization_code&client_id=sandbox-client&client_secret=sandbox-secret&code=x&redirect_uri=http://x&code_verifier=y',
    'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret&scope=%%%',
    '%%%%',
    'a=b&a=c&grant_type=password&grant_type=client_credentials',
    'x'.repeat(100000),
  ];
  const bad: string[] = [];
  for (const tenant of ['organizations', 'common', 'not-a-tenant', '..', '%00']) {
    for (const form of forms) {
      const res = await fetch(`${t.service}/login/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      if (res.status >= 500) bad.push(`token ${tenant} ${form.slice(0, 40)} -> ${res.status}`);
    }
    for (const query of [
      '',
      'client_id=x',
      'client_id=sandbox-client&response_type=token',
      'client_id=sandbox-client&response_type=code&redirect_uri=javascript:alert(1)&scope=x',
      '%%',
    ]) {
      const res = await fetch(`${t.service}/login/${tenant}/oauth2/v2.0/authorize?${query}`, { redirect: 'manual' });
      if (res.status >= 500) bad.push(`authorize ${tenant} ${query} -> ${res.status}`);
    }
  }
  expect(bad).toEqual([]);
}, 60_000);
