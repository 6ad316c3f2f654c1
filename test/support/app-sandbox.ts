// Test support: the sandbox as the app's own code reaches it, for integration tests of services,
// steps and triggers that connect accounts. Registers the file's beforeAll/afterAll: a keyring for
// sealed credentials, the sandbox started, its loopback host allowed (as DYNAMICS_ALLOWED_HOSTS would
// in production) and NEXTAUTH_URL at its origin; afterwards the environment is put back.
import { afterAll, beforeAll } from 'vitest';
import { loadKeyring, setProcessKeyring } from '@/lib/secrets/crypto';
import { startSandbox, type TestSandbox } from './sandbox';

export interface AppSandbox {
  /** The running sandbox (read it inside tests and hooks, once beforeAll has run). */
  readonly sandbox: TestSandbox;
}

/** @param keyByte fills the 32-byte test encryption key, so files do not share one by accident */
export function appSandboxForTests(keyByte: number): AppSandbox {
  let sandbox: TestSandbox | undefined;
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    setProcessKeyring(loadKeyring({ env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, keyByte).toString('base64') } }));
    sandbox = await startSandbox();
    process.env.DYNAMICS_ALLOWED_HOSTS = new URL(sandbox.service).host;
    process.env.NEXTAUTH_URL = new URL(sandbox.service).origin;
  });
  afterAll(async () => {
    process.env = savedEnv;
    setProcessKeyring(undefined);
    await sandbox?.close();
  });
  return {
    get sandbox() {
      if (!sandbox) throw new Error('appSandboxForTests: the sandbox is read before beforeAll ran');
      return sandbox;
    },
  };
}
