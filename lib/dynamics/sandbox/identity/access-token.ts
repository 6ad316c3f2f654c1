/**
 * Access tokens: RS256 JWTs whose `aud` is the Dataverse service URL, the audience Dataverse accepts.
 * Verification caches good signatures so the Web API does not pay an RSA verify per request (the
 * sandbox is meant to serve thousands of requests a second; see bench/sandbox-bench.mjs), but expiry
 * is checked every time.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/access-tokens
 */
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { SigningKey } from './signing-key';

export interface AccessClaims extends JWTPayload {
  aud: string;
  exp: number;
  oid: string;
  tid: string;
  appid: string;
  azp: string;
  scp?: string;
  roles?: string[];
  upn?: string;
  name?: string;
}

export interface IssueInput {
  audience: string;
  issuer: string;
  tenantId: string;
  objectId: string;
  clientId: string;
  lifetimeSeconds: number;
  delegated: boolean;
  upn?: string;
  name?: string;
}

export async function issueAccessToken(key: SigningKey, input: IssueInput): Promise<{ token: string; exp: number }> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + input.lifetimeSeconds;
  const claims: Record<string, unknown> = {
    aio: crypto.randomUUID().replace(/-/g, ''),
    appid: input.clientId,
    appidacr: '1',
    azp: input.clientId,
    idp: input.issuer.replace(/\/v2\.0$/, '/'),
    oid: input.objectId,
    tid: input.tenantId,
    uti: crypto.randomUUID().replace(/-/g, '').slice(0, 22),
    ver: '1.0',
  };
  if (input.delegated) {
    claims.scp = 'user_impersonation';
    claims.upn = input.upn;
    claims.unique_name = input.upn;
    claims.name = input.name;
  } else {
    claims.roles = ['user_impersonation'];
  }
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setSubject(input.objectId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(exp)
    .sign(key.privateKey);
  return { token, exp };
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: 'invalid' | 'expired' | 'audience' };

const normalizeAud = (s: string): string => s.replace(/\/+$/, '').toLowerCase();

export class AccessTokenVerifier {
  private readonly cache = new Map<string, AccessClaims>();

  constructor(private readonly key: () => SigningKey) {}

  async verify(token: string, expectedAudience: string): Promise<VerifyResult> {
    let claims = this.cache.get(token);
    if (!claims) {
      try {
        const { payload } = await jwtVerify(token, this.key().publicKey, { algorithms: ['RS256'], clockTolerance: 0 });
        if (typeof payload.aud !== 'string' || typeof payload.exp !== 'number' || typeof payload.oid !== 'string')
          return { ok: false, reason: 'invalid' };
        claims = payload as AccessClaims;
      } catch (e) {
        const code = (e as { code?: string }).code;
        return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
      }
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(token, claims);
    }
    if (claims.exp * 1000 <= Date.now()) {
      this.cache.delete(token);
      return { ok: false, reason: 'expired' };
    }
    if (normalizeAud(claims.aud) !== normalizeAud(expectedAudience)) return { ok: false, reason: 'audience' };
    return { ok: true, claims };
  }
}

export async function issueIdToken(
  key: SigningKey,
  input: {
    issuer: string;
    clientId: string;
    tenantId: string;
    objectId: string;
    upn: string;
    name: string;
    nonce?: string;
    lifetimeSeconds: number;
  },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    oid: input.objectId,
    tid: input.tenantId,
    preferred_username: input.upn,
    name: input.name,
    ver: '2.0',
  };
  if (input.nonce) claims.nonce = input.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(input.issuer)
    .setAudience(input.clientId)
    .setSubject(input.objectId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + input.lifetimeSeconds)
    .sign(key.privateKey);
}
