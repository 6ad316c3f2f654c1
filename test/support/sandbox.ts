/**
 * Test support: starts a sandbox on an ephemeral port over real HTTP (node:http) and gets tokens.
 * Used only by *.test.ts files.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../lib/dynamics/sandbox/handler';
import { serveNode, type NodeServer } from '../../lib/dynamics/sandbox/node-adapter';

export interface TestSandbox {
  sandbox: Sandbox;
  server: NodeServer;
  /** service URL, e.g. http://127.0.0.1:1234/sandbox */
  service: string;
  /** `${service}/api/data/v9.2` */
  api: string;
  authority: string;
  token(): Promise<string>;
  /** fetch against the Web API with a bearer token */
  call(path: string, init?: RequestInit & { headers?: Record<string, string> }): Promise<Response>;
  json<T = Record<string, unknown>>(
    path: string,
    init?: RequestInit & { headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  hook(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export const CREDS = { client_id: 'sandbox-client', client_secret: 'sandbox-secret', username: 'sales@sandbox.local', password: 'sandbox' };

export async function passwordToken(
  service: string,
  extra: Record<string, string> = {},
): Promise<Record<string, unknown> & { access_token: string }> {
  const res = await fetch(`${service}/login/organizations/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', ...CREDS, scope: `${service}/.default offline_access`, ...extra }),
  });
  const body = (await res.json()) as Record<string, unknown> & { access_token: string };
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Redirect URIs the suites register for the sandbox client (besides the app's callback at the sandbox's origin). */
export const TEST_REDIRECT_URIS = [
  'http://localhost/cb',
  'http://localhost:3000/api/oauth/callback',
  'http://localhost:3000/api/accounts/oauth/callback',
];

export async function startSandbox(opts: SandboxOptions & { basePath?: string } = {}): Promise<TestSandbox> {
  const basePath = opts.basePath ?? '/sandbox';
  const sandbox = createSandbox({ redirectUris: TEST_REDIRECT_URIS, ...opts, basePath });
  await sandbox.ready;
  const server = await serveNode(sandbox);
  const service = `${server.origin}${basePath}`;
  const api = `${service}/api/data/v9.2`;
  let cached: string | null = null;
  const token = async (): Promise<string> => {
    cached ??= (await passwordToken(service)).access_token;
    return cached;
  };
  const call = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> => {
    const url = path.startsWith('http') ? path : `${api}/${path}`;
    return fetch(url, {
      ...init,
      headers: {
        authorization: `Bearer ${await token()}`,
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
    });
  };
  return {
    sandbox,
    server,
    service,
    api,
    authority: `${service}/login/organizations`,
    token,
    call,
    json: async <T>(path: string, init?: RequestInit & { headers?: Record<string, string> }) => {
      const res = await call(path, init);
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
    },
    hook: (path, init) => fetch(`${service}/_sandbox/${path}`, init),
    close: () => server.close(),
  };
}

export interface SetupTestSandboxOptions {
  /** `POST /_sandbox/reset` (a fresh seeded org, no faults, empty request log) before each test; default true. */
  reset?: boolean;
  /** Runtime settings sent as `PUT /_sandbox/config` before each test, after the reset. */
  config?: Record<string, unknown>;
}

/**
 * The set-up that the sandbox suites share: one sandbox for the file, started in `beforeAll` and
 * closed in `afterAll`, reset (and optionally reconfigured) before each test. Call it at the top
 * of a test file; the handle it returns forwards to the sandbox once `beforeAll` has started it,
 * so use it inside hooks and tests (hooks registered after this call run after the sandbox is up).
 */
export function setupTestSandbox(options: SetupTestSandboxOptions = {}): TestSandbox {
  const { reset = true, config } = options;
  let current: TestSandbox | undefined;
  const started = (): TestSandbox => {
    if (!current) throw new Error('setupTestSandbox: the sandbox is started in beforeAll; use the handle inside hooks and tests');
    return current;
  };
  beforeAll(async () => {
    current = await startSandbox();
  });
  afterAll(() => current?.close());
  if (reset || config)
    beforeEach(async () => {
      const t = started();
      if (reset) await t.hook('reset', { method: 'POST' });
      if (config) await t.hook('config', { method: 'PUT', body: JSON.stringify(config) });
    });
  return new Proxy({} as TestSandbox, {
    // `then` stays undefined, so the handle is not mistaken for a promise when it is returned from an async function.
    get: (_target, key) => (key === 'then' ? undefined : started()[key as keyof TestSandbox]),
    has: (_target, key) => key in started(),
  });
}

export const jsonBody = (value: unknown): { body: string } => ({ body: JSON.stringify(value) });

/** The built-in credentials of the sandbox's second organization (lib/dynamics/sandbox/seed/second-org-constants.ts). */
export const ORG2_CREDS = {
  client_id: 'sandbox-org2-client',
  client_secret: 'sandbox-org2-secret',
  username: 'sales@org2.sandbox.local',
  password: 'sandbox',
};

/**
 * The second organization of a started sandbox (`<service>/org2`) as a handle like the first's:
 * its own service URL, Web API, hooks and a token from its own sign-in with ORG2_CREDS.
 */
export function secondOrganization(first: TestSandbox): TestSandbox {
  const service = `${first.service}/org2`;
  const api = `${service}/api/data/v9.2`;
  let cached: string | null = null;
  const token = async (): Promise<string> => {
    cached ??= (await passwordToken(service, ORG2_CREDS)).access_token;
    return cached;
  };
  const call = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> =>
    fetch(path.startsWith('http') ? path : `${api}/${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${await token()}`,
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
    });
  return {
    sandbox: first.sandbox,
    server: first.server,
    service,
    api,
    authority: `${service}/login/organizations`,
    token,
    call,
    json: async <T>(path: string, init?: RequestInit & { headers?: Record<string, string> }) => {
      const res = await call(path, init);
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
    },
    hook: (path, init) => fetch(`${service}/_sandbox/${path}`, init),
    close: () => first.close(),
  };
}
