/**
 * Mounts the Dynamics 365 sandbox (Dataverse Web API + Microsoft identity emulator) at /sandbox.
 * A thin forwarder: every method goes to the Web-standard handler in lib/dynamics/sandbox. One
 * process-wide instance lives on globalThis so Next's module reloading does not duplicate it; its
 * organization is persisted under ${DATA_DIR:-./data}/sandbox/. SANDBOX=off disables it entirely.
 */
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@/lib/dynamics/sandbox/handler';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const globalForSandbox = globalThis as typeof globalThis & { __dynamicsSandbox?: Sandbox };

function sandbox(): Sandbox {
  globalForSandbox.__dynamicsSandbox ??= createSandbox({
    basePath: '/sandbox',
    storage: { dir: join(process.env.DATA_DIR ?? './data', 'sandbox') },
    // The test hooks (reset, faults, request log, bulk) need no sign-in: off unless asked for.
    hooks: process.env.SANDBOX_HOOKS === 'on',
  });
  return globalForSandbox.__dynamicsSandbox;
}

async function handle(req: Request): Promise<Response> {
  if (process.env.SANDBOX === 'off') {
    return Response.json({ error: { code: 'not_found', message: 'The Dynamics 365 sandbox is disabled (SANDBOX=off).' } }, { status: 404 });
  }
  return sandbox().handle(req);
}

export const GET = handle;
export const POST = handle;
export const PATCH = handle;
export const PUT = handle;
export const DELETE = handle;
export const OPTIONS = handle;
