/**
 * Test support for the runtime's durability suites (lib/flows/runtime/*.integration.test.ts): a
 * wire tap in front of the real sandbox (every Web API request as it arrived, with its whole body
 * and the user of its token — the sandbox's own log drops the body of a faulted request and keeps
 * only the last 2,000 entries), extra sandbox principals, accounts connected the way the app does,
 * the create → update → Set variable Dataverse flow, and reading its contacts back through the
 * sandbox's Web API. Used only by *.test.ts files.
 */
import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
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
  /** The client's `x-ms-client-request-id` (one per try). */
  requestId?: string;
}

export interface WireTap {
  readonly entries: WireEntry[];
  /** Called after each answer has been produced (before it is written to the socket). */
  onAnswer?: (entry: WireEntry) => void;
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
    stop: () => void (sandbox.dispatch = original),
  };
  sandbox.dispatch = async (req) => {
    const url = new URL(req.url);
    if (!url.pathname.startsWith(prefix)) return original.call(sandbox, req);
    const path = url.pathname.slice(sandbox.basePath.length) + url.search;
    const start = Date.now();
    // The node adapter hands out one body promise, so reading it here leaves it for the dispatcher.
    const body = await req.text();
    let result: RawResult;
    try {
      result = await original.call(sandbox, req);
    } catch (err) {
      tap.entries.push({ method: req.method, path, body, status: 500, start, end: Date.now(), dropped: false });
      throw err;
    }
    const retryAfter = Object.entries(result.headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
    const entry: WireEntry = {
      method: req.method,
      path,
      body,
      status: result.drop ? 0 : result.status,
      user: upnOf(req.headers.get('authorization')),
      start,
      end: Date.now(),
      ...(retryAfter !== undefined ? { retryAfterMs: Number(retryAfter) * 1000 } : {}),
      dropped: result.drop === true,
      requestId: req.headers.get('x-ms-client-request-id') ?? undefined,
    };
    tap.entries.push(entry);
    tap.onAnswer?.(entry);
    return result;
  };
  return tap;
}

export interface ClientWireEntry {
  method: string;
  path: string;
  user?: string;
  /** Epoch ms (fractional) when this process created the request, and when its answer had been read. */
  created: number;
  answered?: number;
  status?: number;
  retryAfterMs?: number;
  /** The client's `x-ms-client-request-id` (one per try). */
  requestId?: string;
}

/**
 * Every HTTP request this process sends to `host` (node:http's diagnostics channels, so nothing of
 * the client is replaced), with when it was created and when its answer had been read. The client
 * side of the wire is where "nothing was sent before Retry-After" can be judged exactly: the
 * sandbox only sees a request once its event loop gets to it.
 */
export function observeClientRequests(host: string): { entries: ClientWireEntry[]; stop(): void } {
  const entries: ClientWireEntry[] = [];
  const byRequest = new WeakMap<ClientRequest, ClientWireEntry>();
  const now = () => performance.timeOrigin + performance.now();
  const onStart = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (String(request.getHeader('host') ?? '') !== host) return;
    const entry: ClientWireEntry = {
      method: request.method,
      path: request.path,
      user: upnOf(String(request.getHeader('authorization') ?? '') || null),
      created: now(),
      requestId: String(request.getHeader('x-ms-client-request-id') ?? '') || undefined,
    };
    entries.push(entry);
    byRequest.set(request, entry);
  };
  const onResponse = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const entry = byRequest.get(request);
    if (!entry) return;
    entry.status = response.statusCode;
    const retryAfter = response.headers['retry-after'];
    if (retryAfter !== undefined) entry.retryAfterMs = Number(retryAfter) * 1000;
    // Listening for 'end' does not change how the body flows to the client's own reader.
    response.once('end', () => (entry.answered = now()));
  };
  dc.subscribe('http.client.request.start', onStart);
  dc.subscribe('http.client.response.finish', onResponse);
  return {
    entries,
    stop() {
      dc.unsubscribe('http.client.request.start', onStart);
      dc.unsubscribe('http.client.response.finish', onResponse);
    },
  };
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
        // An expression, not `{ ref: { step: 'make', path: 'output.id' } }`: docs/flow-document.md
        // writes a ref's path from the step (`output.id`) but resolve-step-inputs.ts reads it inside
        // the step's output, so that ref resolves to null today; the expression is unambiguous.
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
