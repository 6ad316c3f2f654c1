/**
 * Routes under `<service>/login/<tenant>/…`, the sandbox's stand-in for
 * `https://login.microsoftonline.com/<tenant>/…`: OpenID discovery and its keys,
 * `oauth2/v2.0/authorize`, `oauth2/v2.0/token` and `oauth2/v2.0/logout`, and their v1 forms without
 * `v2.0`. `<tenant>` is `organizations`, `common`, `consumers` or the sandbox tenant (GUID or domain).
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import type { Bases } from '../context';
import { aad, aadErrorBody, AadError } from './aad-errors';
import { handleAuthorize } from './authorize-endpoint';
import { classifyTenant, isRegisteredRedirect, type IdentityContext } from './directory';
import { jwks, openIdConfiguration } from './openid-configuration';
import { handleTokenRequest } from './token-endpoint';

const TOKEN_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store, no-cache',
  pragma: 'no-cache',
  expires: '-1',
  'access-control-allow-origin': '*',
};

function json(body: unknown, status: number, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...TOKEN_HEADERS, ...extra } });
}

function aadResponse(e: AadError, correlationId: string): Response {
  return json(aadErrorBody(e, correlationId), e.status, { 'x-ms-request-id': crypto.randomUUID() });
}

/** `rest` is the path after `/login/`, e.g. `organizations/oauth2/v2.0/token`. */
export async function handleIdentity(ctx: IdentityContext, req: Request, url: URL, rest: string, bases: Bases): Promise<Response> {
  const slash = rest.indexOf('/');
  const tenantSegment = slash < 0 ? rest : rest.slice(0, slash);
  const sub = slash < 0 ? '' : rest.slice(slash + 1);
  const correlationId = req.headers.get('client-request-id') ?? crypto.randomUUID();
  const tenantKind = classifyTenant(tenantSegment);
  const serviceLogin = `${bases.service}/login`;
  const authority = `${serviceLogin}/${tenantSegment}`;
  if (req.method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': '*',
      },
    });
  }
  if (!tenantKind) {
    if (sub.endsWith('token')) return aadResponse(aad.tenantNotFound(tenantSegment), correlationId);
    return json({ error: 'invalid_tenant', error_description: aad.tenantNotFound(tenantSegment).message }, 400);
  }
  const multiTenant = tenantKind !== 'tenant';
  switch (sub) {
    case 'v2.0/.well-known/openid-configuration':
    case '.well-known/openid-configuration':
      return json(openIdConfiguration(ctx, authority, serviceLogin, multiTenant), 200, { 'cache-control': 'max-age=86400, private' });
    case 'discovery/v2.0/keys':
    case 'discovery/keys':
      return json(jwks(ctx), 200, { 'cache-control': 'max-age=86400, private' });
    case 'oauth2/v2.0/authorize':
    case 'oauth2/authorize':
      if (req.method !== 'GET' && req.method !== 'POST') break;
      return handleAuthorize(ctx, req, url, bases, bases.service);
    case 'oauth2/v2.0/logout':
    case 'oauth2/logout': {
      // Like Microsoft's, only a registered URI is a sign-out target; any other is an error page, not a redirect.
      const target = url.searchParams.get('post_logout_redirect_uri');
      if (isRegisteredRedirect(ctx, bases.origin, target)) return new Response(null, { status: 302, headers: { location: target } });
      if (target !== null) {
        return new Response(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out error</title></head><body><h1>Sorry, but we're having trouble signing you out.</h1><p>AADSTS50011: The post_logout_redirect_uri is not registered for the application.</p></body></html>`,
          { status: 400, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
        );
      }
      return new Response('<!doctype html><p>You signed out of your account.</p>', {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    }
    case 'oauth2/v2.0/token':
    case 'oauth2/token': {
      if (req.method !== 'POST') {
        return aadResponse(
          new AadError('invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method} request.`),
          correlationId,
        );
      }
      const form = new URLSearchParams(await req.text());
      try {
        const body = await handleTokenRequest(ctx, {
          form,
          authorization: req.headers.get('authorization'),
          tenantKind,
          tenantSegment,
          v1: sub === 'oauth2/token',
          bases,
        });
        return json(body, 200, { 'x-ms-request-id': crypto.randomUUID() });
      } catch (e) {
        if (e instanceof AadError) return aadResponse(e, correlationId);
        throw e;
      }
    }
  }
  return json(
    { error: 'not_found', error_description: `AADSTS90027: The endpoint '${sub}' is not supported by the sandbox identity provider.` },
    404,
  );
}
