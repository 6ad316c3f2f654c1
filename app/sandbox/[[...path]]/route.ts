/**
 * Mounts the Dynamics 365 sandbox (Dataverse Web API + Microsoft identity emulator) at /sandbox.
 * A thin forwarder: every method goes to the Web-standard handler in lib/dynamics/sandbox, with
 * each user's requests confined to their own organization (see handle). One process-wide instance
 * (a process singleton) so Next's module reloading does not duplicate it; the organizations are
 * persisted under ${DATA_DIR:-./data}/sandbox/ (the second organization, /sandbox/org2, under
 * …/sandbox/org2/). SANDBOX=off disables it entirely.
 */
import { join } from 'node:path';
import type { NextRequest } from 'next/server';
import { resolveDataDir } from '@/lib/config/data-dir';
import { OAUTH_CALLBACK_PATH } from '@/lib/dynamics/accounts/microsoft-sign-in';
import { sandboxEnabled } from '@/lib/dynamics/accounts/sandbox-defaults';
import { isSandboxTenant, sandboxTenantFor } from '@/lib/dynamics/accounts/sandbox-tenant';
import { ORG2_PATH } from '@/lib/dynamics/sandbox/seed/second-org-constants';
import { createSandbox, type Sandbox } from '@/lib/dynamics/sandbox/handler';
import { getDb } from '@/lib/db/database';
import { processSingleton } from '@/lib/process-singleton';
import { toErrorResponse } from '@/lib/server/error-response';
import { authorizeCaller } from '@/lib/server/authorize-caller';
import { resolveUser } from '@/lib/server/current-user';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function configuredCallback(): string[] {
  try {
    return process.env.NEXTAUTH_URL ? [`${new URL(process.env.NEXTAUTH_URL).origin}${OAUTH_CALLBACK_PATH}`] : [];
  } catch {
    return [];
  }
}

function sandbox(): Sandbox {
  return processSingleton('sandbox', () =>
    createSandbox({
      basePath: '/sandbox',
      storage: { dir: join(resolveDataDir(), 'sandbox') },
      maxLoadedOrganizations: Number(process.env.SANDBOX_MAX_LOADED_ORGS) || undefined, // tenants kept in memory (default 32)
      // X-Forwarded-* only behind a proxy we were told to trust, as the app's own origin check.
      trustForwardedHeaders: process.env.TRUST_PROXY === 'on',
      // The app's callback at the configured public URL (the one at the request's origin is always registered).
      redirectUris: configuredCallback(),
      // Each user's own organization, selected by their tenant GUID (sandbox-tenant.ts), in the first
      // and in the second organization (one tenant, two environments, told apart by their URL and
      // token audience); any other GUID is refused. organizations/common reach the handler only for
      // discovery (see handle), where they mean the organization's default tenant.
      tenantOf: (segment, kind, defaultTenant) =>
        kind !== 'tenant' ? defaultTenant : isSandboxTenant(segment) ? segment.toLowerCase() : null,
    }),
  );
}

/**
 * The signed-in caller's own sandbox tenant, or null. The identity endpoint only needs who the
 * caller is (its answers are not readable cross-site, and it changes nothing of the app), so it
 * takes the session without the CSRF origin check; the hooks change the caller's organization, so
 * they go through the full check.
 */
async function callerTenant(req: NextRequest, checkOrigin = true): Promise<string | null> {
  try {
    const user = checkOrigin ? await authorizeCaller(req, await getDb(), false) : await resolveUser(req, await getDb());
    return user ? sandboxTenantFor(user.id) : null;
  } catch {
    return null;
  }
}

/** `/sandbox` or the second organization's `/sandbox/org2`: the same rules hold for both. */
const ORG = `/sandbox(?:/${ORG2_PATH})?`;
const HOOKS = new RegExp(`^${ORG}/_sandbox(?:/|$)`);
const GC_HOOK = new RegExp(`^${ORG}/_sandbox/gc/?$`);
const SHARED_AUTHORITY = new RegExp(`^(${ORG})/login/(organizations|common|consumers)(/.*)?$`, 'i');
const DISCOVERY = /^\/(v2\.0\/)?\.well-known\/openid-configuration$|^\/discovery\/(v2\.0\/)?keys$/;

/**
 * Every user has an own sandbox organization (docs/architecture.md, "The sandbox in the app"):
 * - identity: `/sandbox/login/<their tenant>/…`; `organizations`/`common` mean the signed-in
 *   caller's own tenant (the browser's sign-in page, a token asked for from our own pages) and,
 *   with no caller, serve discovery only — the server itself always uses the user's tenant;
 * - Web API: the token's tenant selects the organization (in the handler);
 * - hooks (reset, faults, request log, config, revoke, bulk): only on the caller's own
 *   organization, so they need a signed-in user — unless SANDBOX_HOOKS=on opens the default
 *   organization, which no user's tenant reaches, for test runs.
 * The second organization (`/sandbox/org2/…`) follows the same rules with the same tenant: each user
 * has an own organization there too.
 */
async function handle(req: NextRequest): Promise<Response> {
  if (!sandboxEnabled()) {
    return Response.json({ error: { code: 'not_found', message: 'The Dynamics 365 sandbox is disabled (SANDBOX=off).' } }, { status: 404 });
  }
  const path = req.nextUrl.pathname;
  if (HOOKS.test(path)) {
    // A full garbage collection stalls the whole process, every user's requests: test runs only.
    if (GC_HOOK.test(path) && process.env.SANDBOX_HOOKS !== 'on') {
      return Response.json({ error: { code: 'not_found', message: 'No sandbox hook gc in the app.' } }, { status: 404 });
    }
    const tenant = await callerTenant(req);
    if (tenant) return sandbox().handle(req, { hooksTenant: tenant });
    if (process.env.SANDBOX_HOOKS === 'on') return sandbox().handle(req);
    try {
      await authorizeCaller(req, await getDb(), true);
    } catch (err) {
      return toErrorResponse(err);
    }
    return toErrorResponse(new Error('no sandbox tenant'));
  }
  const shared = SHARED_AUTHORITY.exec(path);
  if (shared && !DISCOVERY.test(shared[3] ?? '')) {
    const tenant = await callerTenant(req, false);
    if (!tenant) {
      return Response.json(
        {
          error: 'invalid_request',
          error_description: `AADSTS90002: Tenant '${shared[2] ?? ''}' not found. In this app each user has an own sandbox organization: use the identity endpoint the connect dialog fills in.`,
        },
        { status: 400 },
      );
    }
    const url = new URL(req.url);
    url.pathname = `${shared[1] ?? '/sandbox'}/login/${tenant}${shared[3] ?? ''}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    return sandbox().handle(
      new Request(url, { method: req.method, headers: req.headers, body: hasBody ? req.body : null, duplex: 'half' } as RequestInit),
    );
  }
  return sandbox().handle(req);
}

export const GET = handle;
export const POST = handle;
export const PATCH = handle;
export const PUT = handle;
export const DELETE = handle;
export const OPTIONS = handle;
