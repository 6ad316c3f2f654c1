/**
 * The sandbox's values as the accounts (and the URL checks) write them out, against the emulator's
 * own constants: production code may not import lib/dynamics/sandbox, so this is where they are
 * kept in step.
 */
import { describe, expect, it } from 'vitest';
import { checkIdentityEndpoint, checkServiceUrl } from '@/lib/dynamics/client/url-safety/check-service-url';
import { ORG2_CLIENT, ORG2_PATH, ORG2_SALES_USER } from '@/lib/dynamics/sandbox/seed/second-org-constants';
import { CREDS, ORG2_CREDS } from '@/test/support/sandbox';
import { allowedHostsFor } from './connection-options';
import { sandboxConnectionValues, sandboxOrganizationOf, sandboxServiceUrl } from './sandbox-defaults';
import { sandboxSecrets } from './sandbox-secrets';

const origin = 'http://localhost:3000';

describe("the sandbox organizations' values", () => {
  it("are the emulator's: the first's and the second's own URL, app registration and user", () => {
    expect({ ...sandboxConnectionValues(origin), ...sandboxSecrets('first') }).toEqual({
      serviceUrl: `${origin}/sandbox`,
      identityEndpoint: `${origin}/sandbox/login/organizations`,
      clientId: CREDS.client_id,
      clientSecret: CREDS.client_secret,
      username: CREDS.username,
      password: CREDS.password,
    });
    expect({ ...sandboxConnectionValues(origin, { organization: 'second', tenant: 'abc' }), ...sandboxSecrets('second') }).toEqual({
      serviceUrl: `${origin}/sandbox/${ORG2_PATH}`,
      identityEndpoint: `${origin}/sandbox/${ORG2_PATH}/login/abc`,
      clientId: ORG2_CLIENT.clientId,
      clientSecret: ORG2_CLIENT.clientSecret,
      username: ORG2_SALES_USER.username,
      password: ORG2_SALES_USER.password,
    });
    expect(ORG2_CREDS).toEqual({
      client_id: ORG2_CLIENT.clientId,
      client_secret: ORG2_CLIENT.clientSecret,
      username: ORG2_SALES_USER.username,
      password: ORG2_SALES_USER.password,
    });
  });

  it('tell the organizations apart by service URL', () => {
    expect(sandboxOrganizationOf(origin, `${origin}/sandbox/`)).toBe('first');
    expect(sandboxOrganizationOf(origin, `${origin}/sandbox/${ORG2_PATH}`)).toBe('second');
    expect(sandboxOrganizationOf(origin, `${origin}/sandbox/org3`)).toBeNull();
    expect(sandboxOrganizationOf('http://localhost:4000', `${origin}/sandbox`)).toBeNull();
    expect(sandboxOrganizationOf(origin, undefined)).toBeNull();
  });

  it('are both "the sandbox" to the URL checks (which write the second organization’s path out themselves)', () => {
    const opts = { allowedHosts: allowedHostsFor(origin, { NODE_ENV: 'test' }) };
    for (const organization of ['first', 'second'] as const) {
      expect(checkServiceUrl(sandboxServiceUrl(origin, organization), opts)).toMatchObject({ ok: true, kind: 'sandbox' });
      const { identityEndpoint } = sandboxConnectionValues(origin, { organization });
      expect(checkIdentityEndpoint(identityEndpoint!, opts)).toMatchObject({ ok: true, kind: 'sandbox' });
    }
  });
});
