// Test support for route handlers called directly (NextRequest in, Response out): a SQLite data
// folder of its own, the sandbox, two users with personal API tokens, and a connected sandbox account
// of the first. Registers the file's beforeAll/afterAll; read the world once beforeAll has run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { CREDS, startSandbox, type TestSandbox } from './sandbox';

export interface RouteWorld {
  sandbox: TestSandbox;
  /** The owner's token (`Authorization: Bearer …`) and another user's. */
  bearer: string;
  otherBearer: string;
  /** The owner's connected sandbox account. */
  accountId: string;
}

export function routeTestWorld(options: { dirPrefix: string; accountName: string }): { current(): RouteWorld } {
  const dataDir = mkdtempSync(join(tmpdir(), options.dirPrefix));
  const savedEnv = { ...process.env };
  let world: RouteWorld | undefined;
  beforeAll(async () => {
    const sandbox = await startSandbox();
    process.env.DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
    process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
    // Imported only now: the database module reads DATA_DIR when it first opens.
    const { getDb } = await import('@/lib/db/database');
    const { createUser } = await import('@/lib/db/repositories/users');
    const { createApiToken } = await import('@/lib/db/repositories/api-tokens');
    const { generateApiToken } = await import('@/lib/sign-in/api-token');
    const { createAccount } = await import('@/lib/db/repositories/accounts');
    const db = await getDb();
    const tokenFor = async (email: string) => {
      const user = await createUser(db, { email, name: email, passwordHash: null });
      const { token, prefix, tokenHash } = generateApiToken();
      await createApiToken(db, user.id, { name: 't', tokenHash, prefix, expiresAt: null });
      return { user, token };
    };
    const owner = await tokenFor('owner@example.com');
    const other = await tokenFor('other@example.com');
    const account = await createAccount(db, owner.user.id, {
      application: 'dynamics',
      name: options.accountName,
      serviceUrl: sandbox.service,
      apiVersion: 'v9.2',
      identityEndpoint: sandbox.authority,
      authMethod: 'password',
      config: { clientId: CREDS.client_id, username: CREDS.username },
      secrets: { clientSecret: CREDS.client_secret, username: CREDS.username, password: CREDS.password },
      status: 'connected',
    });
    world = { sandbox, bearer: owner.token, otherBearer: other.token, accountId: account.id };
  });
  afterAll(async () => {
    const { closeDb } = await import('@/lib/db/database');
    await closeDb();
    await world?.sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.env = savedEnv;
  });
  return {
    current() {
      if (!world) throw new Error('routeTestWorld: read before beforeAll ran');
      return world;
    },
  };
}
