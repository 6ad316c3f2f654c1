/**
 * `POST /login/<tenant>/oauth2/v2.0/token` (and the v1 `/oauth2/token` with `resource`).
 * Grants: password (ROPC), refresh_token (rotating), authorization_code (+ PKCE S256/plain,
 * single-use codes), client_credentials. Request and response shapes follow Microsoft's token
 * endpoint for each grant.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 *        https://learn.microsoft.com/entra/identity-platform/v2-oauth-ropc
 *        https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 *        https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Bases } from '../context';
import { aadTimestamp } from '../util/dates';
import { aad, AadError } from './aad-errors';
import { issueAccessToken, issueIdToken } from './access-token';
import type { IdentityContext, SandboxClient, SandboxUser, TenantKind } from './directory';
import { grantedScope, parseScope } from './scopes';

export interface TokenRequest {
  form: URLSearchParams;
  authorization: string | null;
  tenantKind: TenantKind;
  tenantSegment: string;
  v1: boolean;
  bases: Bases;
}

type Json = Record<string, unknown>;

function required(form: URLSearchParams, name: string): string {
  const v = form.get(name);
  if (!v) throw aad.missingParam(name);
  return v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** client_secret from the body or an HTTP Basic header (Microsoft's token endpoint accepts both). */
/** Confidential clients must always authenticate (AADSTS7000218 when the secret is missing). */
function authenticateClient(ctx: IdentityContext, req: TokenRequest): SandboxClient {
  let clientId = req.form.get('client_id');
  let secret = req.form.get('client_secret');
  if (req.authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(req.authorization.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      clientId ??= decodeURIComponent(decoded.slice(0, i));
      secret ??= decodeURIComponent(decoded.slice(i + 1));
    }
  }
  if (!clientId) throw aad.missingParam('client_id');
  const client = ctx.clients.find((c) => c.clientId === clientId);
  if (!client) throw aad.unknownClient(clientId, ctx.tenantId);
  if (client.clientSecret !== undefined) {
    if (!secret) throw aad.missingSecret();
    if (!safeEqual(secret, client.clientSecret)) throw aad.wrongSecret(client.clientId);
  }
  return client;
}

function issuer(ctx: IdentityContext, bases: Bases): string {
  return `${bases.service}/login/${ctx.tenantId}/v2.0`;
}

async function userTokens(
  ctx: IdentityContext,
  req: TokenRequest,
  client: SandboxClient,
  user: SandboxUser,
  audience: string,
  oidc: Set<string>,
  nonce?: string,
): Promise<Json> {
  const lifetime = ctx.config.tokenLifetimeSeconds;
  const iss = issuer(ctx, req.bases);
  const { token, exp } = await issueAccessToken(ctx.key(), {
    audience,
    issuer: iss,
    tenantId: ctx.tenantId,
    objectId: user.objectId,
    clientId: client.clientId,
    lifetimeSeconds: lifetime,
    delegated: true,
    upn: user.username,
    name: user.name,
  });
  const scope = grantedScope(audience, oidc);
  const body: Json = req.v1
    ? {
        token_type: 'Bearer',
        scope: 'user_impersonation',
        expires_in: String(lifetime),
        ext_expires_in: String(lifetime),
        expires_on: String(exp),
        not_before: String(exp - lifetime),
        resource: audience,
        access_token: token,
      }
    : { token_type: 'Bearer', scope, expires_in: lifetime, ext_expires_in: lifetime, access_token: token };
  // v2 returns a refresh token only when offline_access was asked for; v1 always returns one.
  if (req.v1 || oidc.has('offline_access')) {
    body.refresh_token = ctx.grants.issueRefresh({ clientId: client.clientId, objectId: user.objectId, scope, audience });
  }
  if (oidc.has('openid')) {
    body.id_token = await issueIdToken(ctx.key(), {
      issuer: iss,
      clientId: client.clientId,
      tenantId: ctx.tenantId,
      objectId: user.objectId,
      upn: user.username,
      name: user.name,
      nonce,
      lifetimeSeconds: lifetime,
    });
  }
  return body;
}

function resourceOf(req: TokenRequest): { audience: string; oidc: Set<string>; permission: string | null } {
  if (req.v1) {
    const resource = req.form.get('resource');
    return { audience: (resource ?? req.bases.service).replace(/\/+$/, ''), oidc: new Set(['offline_access']), permission: null };
  }
  const parsed = parseScope(req.form.get('scope') ?? '');
  return { audience: parsed.resource ?? req.bases.service, oidc: parsed.oidc, permission: parsed.permission };
}

export async function handleTokenRequest(ctx: IdentityContext, req: TokenRequest): Promise<Json> {
  const grantType = required(req.form, 'grant_type');
  const now = Date.now();
  switch (grantType) {
    case 'password': {
      if (req.tenantKind === 'common' || req.tenantKind === 'consumers') throw aad.ropcOnCommon();
      const client = authenticateClient(ctx, req);
      const username = required(req.form, 'username');
      const password = required(req.form, 'password');
      if (!req.v1) required(req.form, 'scope');
      const { audience, oidc } = resourceOf(req);
      const user = ctx.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
      if (!user) throw aad.unknownUser(ctx.tenantId);
      if (!safeEqual(password, user.password)) throw aad.badPassword();
      if (user.requiresMfa) throw aad.mfaRequired(audience);
      return userTokens(ctx, req, client, user, audience, oidc);
    }
    case 'client_credentials': {
      const client = authenticateClient(ctx, req);
      let audience: string;
      if (req.v1) {
        audience = (req.form.get('resource') ?? req.bases.service).replace(/\/+$/, '');
      } else {
        const scope = required(req.form, 'scope');
        const parsed = parseScope(scope);
        if (!parsed.resource || parsed.permission !== '.default') throw aad.scopeNotDefault(scope);
        audience = parsed.resource;
      }
      const lifetime = ctx.config.tokenLifetimeSeconds;
      const { token, exp } = await issueAccessToken(ctx.key(), {
        audience,
        issuer: issuer(ctx, req.bases),
        tenantId: ctx.tenantId,
        objectId: client.appObjectId,
        clientId: client.clientId,
        lifetimeSeconds: lifetime,
        delegated: false,
      });
      return req.v1
        ? {
            token_type: 'Bearer',
            expires_in: String(lifetime),
            ext_expires_in: String(lifetime),
            expires_on: String(exp),
            not_before: String(exp - lifetime),
            resource: audience,
            access_token: token,
          }
        : { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token };
    }
    case 'refresh_token': {
      const client = authenticateClient(ctx, req);
      const token = required(req.form, 'refresh_token');
      const grant = ctx.grants.findRefresh(token);
      if (!grant) throw aad.malformedRefreshToken();
      if (grant.clientId !== client.clientId || grant.redeemed) throw aad.invalidGrant();
      if (grant.revokedAt !== undefined) throw aad.refreshTokenRevoked(aadTimestamp(grant.issuedAt), aadTimestamp(grant.revokedAt));
      const idle = (now - grant.lastUsedAt) / 1000;
      if (idle >= ctx.config.refreshTokenLifetimeSeconds) throw aad.refreshTokenExpired(aadTimestamp(grant.issuedAt), idle);
      const user = ctx.users.find((u) => u.objectId === grant.objectId);
      if (!user) throw aad.invalidGrant();
      // A scope on refresh may narrow or re-target; default to the original grant's.
      const scopeParam = req.form.get('scope');
      const parsed = scopeParam ? parseScope(scopeParam) : parseScope(grant.scope);
      const audience = parsed.resource ?? grant.audience;
      const oidc = scopeParam ? parsed.oidc : new Set([...parsed.oidc, 'offline_access']);
      oidc.add('offline_access');
      ctx.grants.retire(token);
      return userTokens(ctx, req, client, user, audience, oidc);
    }
    case 'authorization_code': {
      const client = authenticateClient(ctx, req);
      const code = required(req.form, 'code');
      const redirectUri = required(req.form, 'redirect_uri');
      const grant = ctx.grants.findCode(code);
      if (!grant || grant.clientId !== client.clientId) throw aad.invalidGrant();
      if (grant.redeemed) throw aad.codeRedeemed();
      if (grant.expiresAt <= now) throw aad.codeExpired();
      if (grant.redirectUri !== redirectUri) throw aad.redirectMismatch();
      if (grant.codeChallenge) {
        const verifier = req.form.get('code_verifier');
        if (!verifier) throw aad.missingVerifier();
        const computed = grant.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
        if (computed !== grant.codeChallenge) throw aad.badVerifier();
      } else if (client.clientSecret === undefined) {
        throw aad.missingVerifier();
      }
      // Codes are single-use even when the redemption fails later (AADSTS54005 on reuse).
      grant.redeemed = true;
      const user = ctx.users.find((u) => u.objectId === grant.objectId);
      if (!user) throw aad.invalidGrant();
      const parsed = parseScope(grant.scope);
      return userTokens(ctx, req, client, user, grant.audience, parsed.oidc, grant.nonce);
    }
    default:
      throw aad.unsupportedGrant(grantType);
  }
}

export { AadError };
