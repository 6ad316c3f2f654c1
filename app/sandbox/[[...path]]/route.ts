/**
 * Mounts the Dynamics 365 sandbox (Dataverse Web API + Microsoft identity emulator) at /sandbox.
 * A thin forwarder: every method goes to the Web-standard handler in lib/dynamics/sandbox. One
 * process-wide instance (a process singleton) so Next's module reloading does not duplicate it; its
 * organization is persisted under ${DATA_DIR:-./data}/sandbox/. SANDBOX=off disables it entirely.
 */
import { join } from 'node:path';
import type { NextRequest } from 'next/server';
import { resolveDataDir } from '@/lib/config/data-dir';
import { OAUTH_CALLBACK_PATH } from '@/lib/dynamics/accounts/microsoft-sign-in';
import { sandboxEnabled } from '@/lib/dynamics/accounts/sandbox-defaults';
import { createSandbox, type Sandbox } from '@/lib/dynamics/sandbox/handler';
import { getDb } from '@/lib/db/database';
import { processSingleton } from '@/lib/process-singleton';
import { toErrorResponse } from '@/lib/server/error-response';
import { authorizeCaller } from '@/lib/server/authorize-caller';

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
      // X-Forwarded-* only behind a proxy we were told to trust, as the app's own origin check.
      trustForwardedHeaders: process.env.TRUST_PROXY === 'on',
      // The app's callback at the configured public URL (the one at the request's origin is always registered).
      redirectUris: configuredCallback(),
    }),
  );
}

/**
 * The test hooks (reset, faults, request log, bulk) change or reveal the organization every user of
 * this installation shares, so in the app they need a signed-in user (session from our own pages,
 * or a personal API token) — unless SANDBOX_HOOKS=on opens them for test runs.
 */
async function hooksRefusal(req: NextRequest): Promise<Response | null> {
  if (process.env.SANDBOX_HOOKS === 'on') return null;
  try {
    await authorizeCaller(req, await getDb(), true);
    return null;
  } catch (err) {
    return toErrorResponse(err);
  }
}

async function handle(req: NextRequest): Promise<Response> {
  if (!sandboxEnabled()) {
    return Response.json({ error: { code: 'not_found', message: 'The Dynamics 365 sandbox is disabled (SANDBOX=off).' } }, { status: 404 });
  }
  if (/^\/sandbox\/_sandbox(?:\/|$)/.test(req.nextUrl.pathname)) {
    const refusal = await hooksRefusal(req);
    if (refusal) return refusal;
  }
  return sandbox().handle(req);
}

export const GET = handle;
export const POST = handle;
export const PATCH = handle;
export const PUT = handle;
export const DELETE = handle;
export const OPTIONS = handle;
