/**
 * `GET|POST /login/<tenant>/oauth2/v2.0/authorize`: a small sign-in page for sandbox users. GET
 * renders the form; POST checks the credentials and redirects to `redirect_uri` with `code` and
 * `state` (or `error`/`error_description`), honouring `response_mode=query|fragment|form_post`.
 * Parameters and error codes follow Microsoft's authorization code flow.
 *
 * Learn: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import type { Bases } from '../context';
import { parseScope } from './scopes';
import { isRegisteredRedirect, type IdentityContext } from './directory';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const PASS_THROUGH = [
  'client_id',
  'response_type',
  'redirect_uri',
  'response_mode',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'login_hint',
];

function page(params: URLSearchParams, action: string, message: string | null, status = 200): Response {
  const hidden = PASS_THROUGH.map((k) => {
    const v = params.get(k);
    return v === null ? '' : `<input type="hidden" name="${k}" value="${esc(v)}">`;
  }).join('');
  const hint = params.get('login_hint') ?? params.get('username') ?? '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to your account — Dynamics 365 sandbox</title>
<style>body{font-family:Segoe UI,system-ui,sans-serif;background:#f2f2f2;margin:0}main{max-width:380px;margin:10vh auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}label{display:block;margin:12px 0 4px}input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}
.err{color:#e81123;margin:8px 0}.row{display:flex;gap:8px;justify-content:flex-end;margin-top:24px}button{padding:6px 20px;font-size:15px;border:0;cursor:pointer}
.primary{background:#0067b8;color:#fff}.secondary{background:#ccc}p.hint{color:#555;font-size:13px}</style></head>
<body><main><h1>Sign in</h1><p class="hint">Dynamics 365 sandbox — use <b>sales@sandbox.local</b> / <b>sandbox</b>.</p>
${message ? `<p class="err" role="alert">${esc(message)}</p>` : ''}
<form method="post" action="${esc(action)}">${hidden}
<label for="username">Email</label><input id="username" name="username" type="email" autocomplete="username" required value="${esc(hint)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="row"><button class="secondary" type="submit" name="cancel" value="1" formnovalidate>Cancel</button><button class="primary" type="submit">Sign in</button></div>
</form></main></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

function errorPage(code: number, text: string): Response {
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in error</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p>AADSTS${code}: ${esc(text)}</p></body></html>`,
    { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}

function redirectWith(params: URLSearchParams, values: Record<string, string>): Response {
  const redirectUri = params.get('redirect_uri') ?? '';
  const state = params.get('state');
  const out = new URLSearchParams(values);
  if (state !== null) out.set('state', state);
  const mode = params.get('response_mode') ?? 'query';
  if (mode === 'form_post') {
    const inputs = [...out].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    return new Response(
      `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${esc(redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`,
      { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } },
    );
  }
  const url = new URL(redirectUri);
  if (mode === 'fragment') url.hash = out.toString();
  else for (const [k, v] of out) url.searchParams.set(k, v);
  return new Response(null, { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } });
}

export async function handleAuthorize(ctx: IdentityContext, req: Request, url: URL, bases: Bases, serviceUrl: string): Promise<Response> {
  let params = url.searchParams;
  let form: URLSearchParams | null = null;
  if (req.method === 'POST') {
    form = new URLSearchParams(await req.text());
    params = new URLSearchParams([...url.searchParams, ...form]);
  }
  const clientId = params.get('client_id');
  if (!clientId) return errorPage(900144, "The request body must contain the following parameter: 'client_id'.");
  const client = ctx.clients.find((c) => c.clientId === clientId);
  if (!client) return errorPage(700016, `Application with identifier '${clientId}' was not found in the directory '${ctx.tenantId}'.`);
  const redirectUri = params.get('redirect_uri');
  // Only a URI registered for the client (AADSTS50011 otherwise): the sandbox never sends a browser,
  // a code or a self-submitting form anywhere else, so the app's origin is no open redirector.
  if (!isRegisteredRedirect(ctx, bases.origin, redirectUri)) {
    return errorPage(
      50011,
      `The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
    );
  }
  if (params.get('response_type') !== 'code') {
    return redirectWith(params, {
      error: 'unsupported_response_type',
      error_description: "AADSTS700054: response_type 'id_token' is not enabled for the application.",
    });
  }
  const method = params.get('code_challenge_method') ?? (params.get('code_challenge') ? 'plain' : null);
  if (method !== null && method !== 'S256' && method !== 'plain') {
    return redirectWith(params, { error: 'invalid_request', error_description: 'AADSTS501491: Invalid code_challenge_method.' });
  }
  let scope;
  try {
    scope = parseScope(params.get('scope') ?? '');
  } catch (e) {
    return redirectWith(params, { error: 'invalid_scope', error_description: (e as Error).message });
  }
  if (params.get('prompt') === 'none' && !form) {
    return redirectWith(params, {
      error: 'login_required',
      error_description: 'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
    });
  }
  if (!form) return page(params, url.pathname + url.search, null);
  if (form.get('cancel')) {
    return redirectWith(params, { error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.' });
  }
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  const user = ctx.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
  if (!user || user.password !== password) {
    return page(
      params,
      url.pathname + url.search,
      "Your account or password is incorrect. If you don't remember your password, reset it now.",
      200,
    );
  }
  const code = ctx.grants.issueCode({
    clientId,
    objectId: user.objectId,
    redirectUri,
    scope: params.get('scope') ?? '',
    audience: scope.resource ?? serviceUrl,
    codeChallenge: params.get('code_challenge') ?? undefined,
    codeChallengeMethod: method === 'S256' || method === 'plain' ? method : undefined,
    nonce: params.get('nonce') ?? undefined,
    expiresAt: Date.now() + ctx.config.authCodeLifetimeSeconds * 1000,
  });
  return redirectWith(params, { code, session_state: crypto.randomUUID() });
}
