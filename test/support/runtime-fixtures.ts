/**
 * Test support for the runtime's durability suites (lib/flows/runtime/*.integration.test.ts): a
 * wire tap in front of the real sandbox (every Web API request as it arrived, with its whole body
 * and the user of its token — the sandbox's own log drops the body of a faulted request and keeps
 * only the last 2,000 entries), extra sandbox principals, accounts connected the way the app does,
 * the create → update → Set variable Dataverse flow, and reading its contacts back through the
 * sandbox's Web API. Used only by *.test.ts files.
 */
import type { Db } from '../../lib/db/database';
import { connectAccount } from '../../lib/dynamics/accounts/account-service';
import type { RawResult } from '../../lib/dynamics/sandbox/handler';
import { APP_USER, SALES_USER } from '../../lib/dynamics/sandbox/seed/constants';
import { flowDoc, type NodeSpec } from './flow-docs';
import type { TestSandbox } from './sandbox';

export interface WireEntry {
  method: string;
  /** After the sandbox's base path, with the query. */
  path: string;
  body: string;
  status: number;
  /** `upn` of the bearer token (the Dataverse user), when there is one. */
  user?: string;
  /** Epoch ms when the sandbox got the request and when it answered (or dropped it). */
  start: number;
  end: number;
  retryAfterMs?: number;
  dropped: boolean;
}

export interface WireTap {
  readonly entries: WireEntry[];
  /** Called after each answer has been produced (before it is written to the socket). */
  onAnswer?: (entry: WireEntry) => void;
  clear(): void;
  stop(): void;
}

function upnOf(authorization: string | null): string | undefined {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { upn?: string }).upn;
  } catch {
    return undefined;
  }
}

/** Records every Web API request the sandbox serves (over its real HTTP server) until `stop()`. */
export function tapSandbox(t: TestSandbox): WireTap {
  const sandbox = t.sandbox;
  const original = sandbox.dispatch;
  const prefix = `${sandbox.basePath}/api/data/`;
  const tap: WireTap = {
    entries: [],
    clear: () => void (tap.entries.length = 0),
    stop: () => void (sandbox.dispatch = original),
  };
  sandbox.dispatch = async (req) => {
    const url = new URL(req.url);
    if (!url.pathname.startsWith(prefix)) return original.call(sandbox, req);
    const start = Date.now();
    // The node adapter hands out one body promise, so reading it here leaves it for the dispatcher.
    const body = await req.text();
    let result: RawResult;
    try {
      result = await original.call(sandbox, req);
    } catch (err) {
      tap.entries.push({
        method: req.method,
        path: url.pathname.slice(sandbox.basePath.length) + url.search,
        body,
        status: 500,
        start,
        end: Date.now(),
        dropped: false,
      });
      throw err;
    }
    const retryAfter = Object.entries(result.headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
    const entry: WireEntry = {
      method: req.method,
      path: url.pathname.slice(sandbox.basePath.length) + url.search,
      body,
      status: result.drop ? 0 : result.status,
      user: upnOf(req.headers.get('authorization')),
      start,
      end: Date.now(),
      ...(retryAfter !== undefined ? { retryAfterMs: Number(retryAfter) * 1000 } : {}),
      dropped: result.drop === true,
    };
    tap.entries.push(entry);
    tap.onAnswer?.(entry);
    return result;
  };
  return tap;
}

/**
 * Another Dataverse user of the sandbox organization: a sign-in name and password (and optionally
 * an own app registration) acting as the seeded sales user's systemuser. Dataverse counts service
 * protection per user, and so does the client (its limit key is the user name), so each principal
 * has its own `Retry-After` gate. The sandbox's directory arrays are module state of this test
 * file's module graph (vitest isolates files); `remove()` takes them out again.
 */
export function addSandboxPrincipal(
  t: TestSandbox,
  p: { username: string; password: string; clientId?: string; clientSecret?: string },
): { remove(): void } {
  const core = t.sandbox.core;
  const user = { username: p.username, password: p.password, objectId: SALES_USER.objectId, name: p.username };
  core.users.push(user);
  const client = p.clientId ? { clientId: p.clientId, clientSecret: p.clientSecret, appObjectId: APP_USER.objectId } : undefined;
  if (client) core.clients.push(client);
  return {
    remove() {
      core.users.splice(core.users.indexOf(user), 1);
      if (client) core.clients.splice(core.clients.indexOf(client), 1);
    },
  };
}

/** Connects a password-method account to the sandbox as the app does (sign-in and WhoAmI, then saved). */
export async function connectSandboxAccount(
  db: Db,
  ownerId: string,
  t: TestSandbox,
  creds: { name: string; username?: string; password?: string; clientId?: string; clientSecret?: string },
): Promise<string> {
  const account = await connectAccount(
    { db, ownerId, appOrigin: new URL(t.service).origin },
    {
      method: 'password',
      serviceUrl: t.service,
      clientId: creds.clientId ?? 'sandbox-client',
      clientSecret: creds.clientSecret ?? 'sandbox-secret',
      username: creds.username ?? 'sales@sandbox.local',
      password: creds.password ?? 'sandbox',
      name: creds.name,
    },
  );
  return account.id;
}

export type DataverseRetry = NonNullable<NodeSpec['retry']>;

/**
 * trigger → create a contact (firstname `tag`, lastname the run id) → update it by the id the
 * create returned (jobtitle `done <run id>`) → Set variable. Three steps, two Dataverse writes.
 */
export function contactFlow(accountId: string, tag: string, retry?: DataverseRetry) {
  return flowDoc([
    { id: 'trig', type: 'manual.trigger' },
    {
      id: 'make',
      type: 'dynamics.contact.create',
      accountId,
      ...(retry ? { retry } : {}),
      inputs: { fields: { firstname: tag, lastname: { expr: '$run.id' } } },
    },
    {
      id: 'edit',
      type: 'dynamics.contact.update',
      accountId,
      ...(retry ? { retry } : {}),
      inputs: {
        // An expression, not `{ ref: { step: 'make', path: 'output.id' } }`: the runtime reads a ref's
        // path inside the step's output, while docs/flow-document.md writes it from the step (see the
        // report of this suite); the expression means the same under both readings.
        match: { by: 'id', id: { expr: '$steps.make.output.id' } },
        fields: { jobtitle: { expr: '"done " & $run.id' } },
      },
    },
    { id: 'note', type: 'toolbox.set_variable', inputs: { variable: 'contact', value: { expr: '$steps.make.output.id' } } },
  ]);
}

export interface ContactRow {
  contactid: string;
  lastname: string;
  jobtitle: string | null;
}

/** The contacts whose firstname is `tag`, read through the sandbox's Web API (every page). */
export async function contactsTagged(t: TestSandbox, tag: string): Promise<ContactRow[]> {
  const out: ContactRow[] = [];
  let next: string | undefined = `contacts?$select=contactid,lastname,jobtitle&$filter=firstname eq '${tag}'`;
  while (next) {
    const page: { status: number; body: { value: ContactRow[]; '@odata.nextLink'?: string } } = await t.json(next, {
      headers: { prefer: 'odata.maxpagesize=5000' },
    });
    if (page.status !== 200) throw new Error(`contacts query failed: ${page.status}`);
    out.push(...page.body.value.map((c) => ({ contactid: c.contactid, lastname: c.lastname, jobtitle: c.jobtitle })));
    next = page.body['@odata.nextLink'];
  }
  return out;
}

/** Groups `items` by `key`, as a map of key → items. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}
