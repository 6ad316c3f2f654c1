/**
 * Integration-test harness: a sandbox organization on an ephemeral port (real HTTP) and the real
 * Dataverse client of an account signed in with the sandbox's built-in password credentials.
 * Used only by *.integration.test.ts files.
 */
import { randomUUID } from 'node:crypto';
import { createDataverseClient } from '../../lib/dynamics/client/create-client';
import type { AccountStatePort, DataverseClient } from '../../lib/dynamics/client/types';
import { CREDS, startSandbox, type TestSandbox } from './sandbox';

export interface SandboxAccount {
  sandbox: TestSandbox;
  client: DataverseClient;
  close(): Promise<void>;
}

const statePort: AccountStatePort = { saveTokens: async () => {}, markNeedsReconnect: async () => {} };

export async function sandboxAccount(): Promise<SandboxAccount> {
  const sandbox = await startSandbox();
  const host = new URL(sandbox.service).host;
  const client = createDataverseClient(
    {
      id: `test-${randomUUID()}`,
      serviceUrl: sandbox.service,
      apiVersion: 'v9.2',
      identityEndpoint: sandbox.authority,
      method: 'password',
      clientId: CREDS.client_id,
      secrets: { clientSecret: CREDS.client_secret, username: CREDS.username, password: CREDS.password },
    },
    statePort,
    { allowedHosts: [host], retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
  );
  return { sandbox, client, close: () => sandbox.close() };
}
