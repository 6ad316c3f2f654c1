/**
 * The RS256 key that signs access and id tokens. Persisted (mode 0600) next to the sandbox data in
 * the app so tokens survive restarts; ephemeral in tests (generated once per process and shared,
 * since RSA key generation costs ~100 ms).
 */
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

async function fromPrivateJwk(jwk: JWK): Promise<SigningKey> {
  const kid = typeof jwk.kid === 'string' ? jwk.kid : 'sandbox';
  const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  const publicJwk: JWK = { ...pub, kid, use: 'sig', alg: 'RS256' };
  const publicKey = (await importJWK(publicJwk, 'RS256')) as CryptoKey;
  return { kid, privateKey, publicKey, publicJwk };
}

async function generate(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  jwk.kid = crypto.randomUUID().replace(/-/g, '').slice(0, 27);
  jwk.alg = 'RS256';
  return jwk;
}

let ephemeral: Promise<SigningKey> | null = null;

export function ephemeralSigningKey(): Promise<SigningKey> {
  ephemeral ??= generate().then(fromPrivateJwk);
  return ephemeral;
}

export async function persistentSigningKey(file: string): Promise<SigningKey> {
  try {
    const jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    return await fromPrivateJwk(jwk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`sandbox signing key ${file} is unreadable: ${String(e)}`);
  }
  const jwk = await generate();
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(jwk), { mode: 0o600 });
  await rename(tmp, file);
  return fromPrivateJwk(jwk);
}
