/**
 * The Web-standard entry point: `(Request) => Promise<Response>`, no framework imports. Routes
 * `<base>/login/…` (identity), `<base>/api/data/v9.0|v9.1|v9.2/…` (Web API) and `<base>/_sandbox/…`
 * (test hooks), where `<base>` is the configured basePath ('/sandbox' in the app, '' standalone).
 * `<base>/org2/…` is a second organization with the same three parts under its own service URL
 * (see secondOrganization below).
 *
 * Web API pipeline: CORS preflight → body size (413) → bearer token (401 with
 * `WWW-Authenticate: Bearer authorization_uri=…, resource_id=…` and an empty body, as Dataverse
 * answers) → service protection (429) → fault injection → dispatch → request log.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 *        https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth
 *        https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import { join } from 'node:path';
import type { Bases, Principal } from './context';
import { DataverseError, errorBody } from './errors';
import { AccessTokenVerifier } from './identity/access-token';
import { handleIdentity } from './identity/routes';
import { classifyTenant, type TenantKind } from './identity/directory';
import { aad } from './identity/aad-errors';
import { handleHooks } from './hooks';
import { redactBody, redactHeaders } from './request-log';
import type { SandboxDatabase } from './persistence';
import { SandboxCore, type CoreOptions } from './sandbox-core';
import { SECOND_ORG_PROFILE } from './profiles/second-organization';
import { ORG2_PATH } from './seed/second-org-constants';
import type { ApiResponse } from './webapi/api-types';
import { executeApi } from './webapi/router';
import { BodyTooLargeError, declaredLength, readLimited, SMALL_BODY_BYTES } from './util/limits';

/** The body read under `limit`: a Web Request's stream is cancelled past it; an adapter's RawRequest stops reading. */
async function bodyText(req: RawRequest, limit: number): Promise<string> {
  const declared = declaredLength(req.headers);
  if (declared !== null && declared > limit) throw new BodyTooLargeError(limit);
  const text = req instanceof Request ? await readLimited(req.body, limit) : await req.text(limit);
  if (Buffer.byteLength(text) > limit) throw new BodyTooLargeError(limit);
  return text;
}

function tooLarge(limit: number): Response {
  return new Response(
    JSON.stringify({
      error: 'invalid_request',
      error_description: `AADSTS90023: The request body exceeds the maximum allowed size of ${limit} bytes.`,
    }),
    { status: 413, headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' } },
  );
}

/** A request whose body was already read (under its limit), for the handlers that take a Web Request. */
function withBody(req: Request, text: string): Request {
  return new Request(req.url, { method: req.method, headers: req.headers, body: text });
}

export interface SandboxOptions extends CoreOptions {
  /**
   * Which organization an identity tenant segment (`organizations`, `common`, `consumers`, a GUID or
   * the sandbox's domain) selects, as a tenant id; null refuses it (AADSTS90002). Default: every
   * segment selects the one shared organization (standalone and tests). The app gives each user an
   * own tenant GUID and refuses the rest (app/sandbox). `defaultTenant` is this organization's
   * default tenant (the first and the second organization have different ones). The Web API
   * serves a token only when its tenant is one this selects (or the default tenant).
   */
  tenantOf?: (segment: string, kind: TenantKind, defaultTenant: string) => string | null;
  /** Mount path, e.g. '/sandbox' inside the app, '' standalone. */
  basePath?: string;
  /** Fixed public origin (e.g. 'https://example.com'); default: derived from each request. */
  publicUrl?: string;
  /** Honour X-Forwarded-Proto/Host when deriving the origin (default false: only behind a trusted proxy, TRUST_PROXY=on, as the app). */
  trustForwardedHeaders?: boolean;
  /**
   * Persistent storage only: at most this many tenants' organizations stay in memory besides the
   * default one (default 32); the least recently used beyond it are flushed and unloaded, and
   * reloaded from the journal on their next request. A memory-only sandbox never unloads.
   */
  maxLoadedOrganizations?: number;
}

/**
 * The minimal request shape the dispatcher needs. A Web `Request` satisfies it; the node:http
 * adapter passes a light wrapper instead, because constructing undici Request/Response objects
 * costs more than the whole Web API dispatch (see bench/RESULTS.md).
 */
export interface RawRequest {
  method: string;
  url: string;
  headers: { get(name: string): string | null; forEach(cb: (value: string, key: string) => void): void };
  /** The body as text; an adapter given `limit` stops reading past it (BodyTooLargeError) instead of buffering it. */
  text(limit?: number): Promise<string>;
}

export interface RawResult {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  /** fault injection: drop the connection instead of answering */
  drop?: boolean;
}

export interface HandleOptions {
  /** The organization the hooks act on (the app passes the signed-in user's tenant); default: the default organization. */
  hooksTenant?: string;
}

export interface Sandbox {
  handle(req: Request, opts?: HandleOptions): Promise<Response>;
  /** The organization of a tenant id (created, seeded, on first use). */
  org(tenantId: string): Promise<SandboxCore>;
  /** Framework-free dispatch used by the node:http adapter. */
  dispatch(req: RawRequest): Promise<RawResult>;
  readonly core: SandboxCore;
  readonly ready: Promise<void>;
  readonly basePath: string;
  /** Write a pending snapshot now (persistent storage). */
  flush(): void;
  /** The tenants whose organizations are in memory, least recently used first (the default organization always is). */
  loadedOrganizations(): string[];
  /** Resolves when the unloads under way have finished (tests). */
  evictions(): Promise<void>;
  /**
   * The second organization, served under `<basePath>/org2` (created on first use), or null for the
   * second organization itself. Its own schema, seed data, tenant, directory and service URL (the
   * token audience), sharing only the signing key, the options and `tenantOf`.
   */
  secondOrganization(): Sandbox | null;
}

const drops = new WeakSet<Response>();

/** A response whose connection must be dropped (fault injection). Adapters check `isDropResponse`. */
export function dropResponse(): Response {
  const body = new ReadableStream({
    pull(controller) {
      controller.error(new Error('sandbox fault: connection dropped'));
    },
  });
  const res = new Response(body, { status: 200 });
  drops.add(res);
  return res;
}

export function isDropResponse(res: Response): boolean {
  return drops.has(res);
}

const API_RE = /^\/api\/data\/(v9\.[012])(?:\/(.*))?$/;

const CORS_EXPOSE =
  'Preference-Applied, OData-EntityId, Location, ETag, OData-Version, Content-Encoding, Transfer-Encoding, Content-Length, Retry-After';

function principalOf(core: SandboxCore, oid: string, clientId: string): Principal | null {
  const id = core.store.findByKey('systemuser', 'aadobjectidkey', [oid]);
  const row = id ? core.store.get('systemuser', id) : undefined;
  if (!id || !row) return null;
  const bu = row.businessunitid as { id?: string } | null;
  return { systemuserid: id, objectId: oid, businessUnitId: bu?.id ?? '', clientId, kind: row.applicationid_text ? 'app' : 'user' };
}

function toResult(api: ApiResponse, extra: Record<string, string>): RawResult {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(api.headers)) if (!k.startsWith('x-sandbox-')) headers[k] = v;
  Object.assign(headers, extra);
  return { status: api.status, headers, body: api.status === 204 || api.status === 304 ? null : api.body };
}

function resultToResponse(r: RawResult): Response {
  if (r.drop) return dropResponse();
  return new Response(r.body as BodyInit | null, { status: r.status, headers: r.headers });
}

async function responseToResult(res: Response): Promise<RawResult> {
  if (isDropResponse(res)) return { status: 0, headers: {}, body: null, drop: true };
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  const body = res.body ? new Uint8Array(await res.arrayBuffer()) : null;
  return { status: res.status, headers, body };
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const core = new SandboxCore(options);
  const verifier = new AccessTokenVerifier(() => core.key());
  const tenantOf = (segment: string, kind: TenantKind): string | null =>
    options.tenantOf ? options.tenantOf(segment, kind, core.tenantId) : core.tenantId;
  /** Whether a token's tenant is one of this sandbox's: another organization's tenant selects nothing here. */
  const servesTenant = (tid: string): boolean => {
    const id = tid.toLowerCase();
    return id === core.tenantId || tenantOf(id, 'tenant')?.toLowerCase() === id;
  };
  /**
   * A second organization under `<base>/org2` (the first organization only): real environments
   * each have their own host; the app mounts the sandbox under its own origin (the only host its
   * URL checks allow), so a path segment stands in for the host. Created on first use.
   */
  let second: Sandbox | null = null;
  const secondPrefix = `${basePath}/${ORG2_PATH}`;
  const hasSecond = core.profile !== SECOND_ORG_PROFILE;
  const secondOrganization = (): Sandbox | null => {
    if (!hasSecond) return null;
    second ??= createSandbox({
      ...options,
      profile: SECOND_ORG_PROFILE,
      basePath: secondPrefix,
      storage: options.storage && options.storage !== 'memory' ? { dir: join(options.storage.dir, ORG2_PATH) } : 'memory',
      signingKey: core.ready.then(() => core.key()),
    });
    return second;
  };
  const routesToSecond = (pathname: string): boolean => hasSecond && (pathname === secondPrefix || pathname.startsWith(`${secondPrefix}/`));
  /** The loaded tenants' organizations (not the default one, which always stays), least recently used first (Map order). */
  const orgs = new Map<string, SandboxCore>();
  const { storage: _storage, maxLoadedOrganizations, ...orgOptions } = options;
  void _storage;
  const maxLoaded = Math.max(1, maxLoadedOrganizations ?? 32);
  /** Requests in flight per tenant: an organization is never unloaded while one of its requests runs. */
  const inFlight = new Map<string, number>();
  const unloading = new Map<string, Promise<void>>();
  /** Tenants used again while being unloaded: they stay. */
  const retouched = new Set<string>();

  /**
   * One organization per tenant, sharing the default one's database and signing key; loaded (from
   * the journal, when persistent) on first use. `held` (a request's list) pins it until `release`.
   */
  async function orgFor(tenantId: string, held?: string[]): Promise<SandboxCore> {
    const id = tenantId.toLowerCase();
    if (id === core.tenantId) return core;
    if (held) {
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
      held.push(id);
    }
    let org = orgs.get(id);
    if (org) {
      // Touch: the most recently used goes last.
      orgs.delete(id);
      orgs.set(id, org);
      if (unloading.has(id)) retouched.add(id);
    } else {
      org = new SandboxCore(orgOptions, { tenantId: id, db: core.database, key: core.ready.then(() => core.key()) });
      orgs.set(id, org);
      evictBeyondLimit();
    }
    await org.ready;
    return org;
  }

  function release(held: string[]): void {
    for (const id of held) {
      const n = (inFlight.get(id) ?? 1) - 1;
      if (n > 0) inFlight.set(id, n);
      else inFlight.delete(id);
    }
    if (held.length) evictBeyondLimit();
  }

  /**
   * Unloads the least recently used organizations beyond `maxLoaded` that have no request in flight
   * (persistent storage only). Their pending journal writes are completed first; what is persisted
   * (rows, tombstones and version for change tracking, refresh grants) comes back identical on the
   * next load. In-memory state resets: faults, the request log, throttle windows, runtime config
   * set through the hooks and unredeemed authorization codes.
   */
  function evictBeyondLimit(): void {
    const db = core.database;
    if (!db) return;
    let excess = orgs.size - unloading.size - maxLoaded;
    for (const [id, org] of orgs) {
      if (excess <= 0) break;
      if (unloading.has(id) || inFlight.has(id)) continue;
      excess--;
      const done = unload(db, id, org).then((kept) => {
        unloading.delete(id);
        retouched.delete(id);
        // Kept because it was used again: another may be over the limit now.
        if (kept) evictBeyondLimit();
      });
      unloading.set(id, done);
    }
  }

  /** Flushes and unloads one organization; true when it was used again meanwhile and stays. */
  async function unload(db: SandboxDatabase, id: string, org: SandboxCore): Promise<boolean> {
    try {
      // Loop: a write may land while the flush yields; the check and the unload below are one synchronous step.
      while (db.pendingFor(id)) await db.flushTenant(id);
    } catch {
      return false; // the database is closed (shutdown): it stays, nothing is retried
    }
    // Used again while flushing: it stays (it is the most recently used now).
    if (inFlight.has(id) || retouched.has(id) || orgs.get(id) !== org) return !inFlight.has(id);
    db.untrack(id);
    orgs.delete(id);
    return false;
  }
  const trustForwarded = options.trustForwardedHeaders === true;

  const basesOf = (req: RawRequest, url: URL): Bases => {
    let origin = options.publicUrl?.replace(/\/+$/, '') ?? url.origin;
    if (!options.publicUrl && trustForwarded) {
      const host = req.headers.get('x-forwarded-host');
      const proto = req.headers.get('x-forwarded-proto');
      if (host)
        origin = `${(proto ?? url.protocol.replace(':', '')).split(',')[0]?.trim() ?? 'http'}://${host.split(',')[0]?.trim() ?? ''}`;
    }
    return { origin, service: origin + basePath };
  };

  async function handleApi(
    req: RawRequest,
    url: URL,
    bases: Bases,
    version: string,
    rest: string,
    started: number,
    held: string[],
  ): Promise<RawResult> {
    // Until the token names its tenant, the request belongs to the default organization (its log).
    let org = core;
    const reqId = crypto.randomUUID();
    const common: Record<string, string> = {
      'Access-Control-Allow-Origin': req.headers.get('origin') ?? '*',
      'Access-Control-Expose-Headers': CORS_EXPOSE,
      REQ_ID: reqId,
      'x-ms-service-request-id': reqId,
    };
    const logPath = url.pathname.slice(basePath.length) + url.search;
    let body = '';
    const who: { user?: string } = {};
    let fault: string | undefined;
    const finish = (res: RawResult): RawResult => {
      org.log.add({
        time: new Date(started).toISOString(),
        method: req.method,
        path: logPath,
        headers: redactHeaders(req.headers),
        body: redactBody(body, false),
        status: res.status,
        durationMs: Date.now() - started,
        fault,
        user: who.user,
      });
      return res;
    };
    if (req.method === 'OPTIONS') {
      return finish({
        status: 200,
        body: null,
        headers: {
          ...common,
          'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': req.headers.get('access-control-request-headers') ?? '*',
          'Access-Control-Max-Age': '3600',
        },
      });
    }
    const service = bases.service;
    const apiBase = `${service}/api/data/${version}`;
    const errorOut = (e: DataverseError): RawResult =>
      finish({
        status: e.status,
        body: errorBody(e, false),
        headers: { ...common, 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0', ...e.headers },
      });

    const declared = declaredLength(req.headers) ?? 0;
    if (declared > org.config.maxBodyBytes)
      return errorOut(
        new DataverseError(413, '', `The request body exceeds the maximum allowed size of ${org.config.maxBodyBytes} bytes.`),
      );

    // Authentication -----------------------------------------------------------------------------
    const auth = req.headers.get('authorization');
    const challenge = `Bearer authorization_uri=${service}/login/${org.tenantId}/oauth2/authorize, resource_id=${service}/`;
    const unauthorized = (reason: string): RawResult =>
      finish({ status: 401, body: null, headers: { ...common, 'WWW-Authenticate': challenge, 'x-ms-diagnostics': reason } });
    if (!auth || !/^Bearer\s+\S+/i.test(auth)) return unauthorized('Bearer token is missing');
    const verdict = await verifier.verify(auth.replace(/^Bearer\s+/i, '').trim(), service);
    if (!verdict.ok) {
      return unauthorized(
        verdict.reason === 'expired'
          ? 'The access token has expired'
          : verdict.reason === 'audience'
            ? `IDX10214: Audience validation failed. Did not match: validationParameters.ValidAudience: '${service}'`
            : 'The access token is invalid (signature or format)',
      );
    }
    // The token's tenant selects the organization: the Web API serves no other. A tenant that is not
    // this sandbox's (a token another organization's endpoint issued for this audience) is refused
    // like an invalid token, before any organization is created for it.
    if (!servesTenant(verdict.claims.tid))
      return unauthorized(`The access token's tenant '${verdict.claims.tid}' is not the tenant of this organization`);
    org = await orgFor(verdict.claims.tid, held);
    const principal = principalOf(org, verdict.claims.oid, verdict.claims.appid);
    who.user = verdict.claims.upn ?? verdict.claims.oid;
    if (!principal) return errorOut(new DataverseError(403, '0x80072560', 'The user is not a member of the organization.'));

    // Service protection and faults --------------------------------------------------------------
    const gate = org.throttle.enter(principal.objectId, org.config.limits);
    if (!gate.ok) {
      fault = 'throttled';
      return errorOut(gate.error);
    }
    let dropAfter = false;
    try {
      if (org.faults.active) {
        const decision = org.faults.decide('api', req.method, logPath);
        if (decision.delayMs > 0) {
          fault = `delay ${decision.delayMs}ms`;
          await new Promise((r) => setTimeout(r, decision.delayMs));
        }
        const f = decision.failure;
        if (f) {
          fault = f.kind;
          if (f.kind === 'drop') return finish({ status: 0, headers: {}, body: null, drop: true });
          if (f.kind === 'drop_after') dropAfter = true;
          if (f.kind === '429') {
            return errorOut(
              new DataverseError(
                429,
                '0x80072322',
                `Number of requests exceeded the limit of ${org.config.limits.requests} over time window of ${org.config.limits.windowSeconds} seconds.`,
                'ServiceProtectionLimit',
                {
                  'Retry-After': String(f.retryAfterSeconds ?? 1),
                },
              ),
            );
          }
          if (f.kind === '503') {
            return errorOut(
              new DataverseError(
                503,
                '0x80040216',
                'The service is temporarily unavailable. Please try again later.',
                'ServiceUnavailable',
                f.retryAfterSeconds !== undefined ? { 'Retry-After': String(f.retryAfterSeconds) } : {},
              ),
            );
          }
          if (!dropAfter) return errorOut(new DataverseError(500, '0x80040216', 'An unexpected error occurred.', 'UnexpectedError'));
        }
      }
      if (req.method !== 'GET' && req.method !== 'DELETE') {
        try {
          body = await bodyText(req, org.config.maxBodyBytes);
        } catch (e) {
          if (!(e instanceof BodyTooLargeError)) throw e;
          return errorOut(
            new DataverseError(413, '', `The request body exceeds the maximum allowed size of ${org.config.maxBodyBytes} bytes.`),
          );
        }
      }
      const api = executeApi(
        {
          store: org.store,
          bases,
          apiBase,
          principal,
          crm: { now: () => Date.now(), userId: principal.systemuserid, businessUnitId: principal.businessUnitId },
          config: org.config,
          organizationId: org.profile.organizationId,
          contentIds: null,
        },
        { method: req.method, path: rest, search: url.search, headers: req.headers, body },
      );
      // https://learn.microsoft.com/power-apps/developer/data-platform/api-limits#how-service-protection-api-limits-are-enforced
      const result = toResult(api, {
        ...common,
        'x-ms-ratelimit-burst-remaining-xrm-requests': String(gate.remaining),
        'x-ms-ratelimit-time-remaining-xrm-requests': formatMilliseconds(gate.timeRemaining()),
      });
      // The work is done (a write is committed); only the answer is lost.
      if (dropAfter) return finish({ status: 0, headers: {}, body: null, drop: true });
      return finish(result);
    } finally {
      gate.release();
    }
  }

  function apiMatch(url: URL): RegExpExecArray | null {
    let path = url.pathname;
    if (basePath) {
      if (!path.startsWith(`${basePath}/`)) return null;
      path = path.slice(basePath.length);
    }
    return API_RE.exec(path);
  }

  async function dispatchApi(req: RawRequest, url: URL, api: RegExpExecArray): Promise<RawResult> {
    await core.ready;
    const held: string[] = [];
    try {
      return await handleApi(req, url, basesOf(req, url), api[1] ?? 'v9.2', api[2] ?? '', Date.now(), held);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // A request whose structure is too deep for the sandbox (e.g. a $filter nested thousands of levels) is the caller's mistake.
      if (e instanceof RangeError && /call stack/i.test(message)) {
        return {
          status: 400,
          headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
          body: JSON.stringify({ error: { code: '0x80040203', message: 'The request is nested too deeply.' } }),
        };
      }
      return {
        status: 500,
        headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
        body: JSON.stringify({ error: { code: '0x80040216', message: `An unexpected error occurred: ${message}` } }),
      };
    } finally {
      release(held);
    }
  }

  async function dispatch(req: RawRequest): Promise<RawResult> {
    const url = new URL(req.url);
    const other = routesToSecond(url.pathname) ? secondOrganization() : null;
    if (other) return other.dispatch(req);
    const api = apiMatch(url);
    if (api) return dispatchApi(req, url, api);
    let body: string | undefined;
    try {
      // Everything but the Web API (identity forms, hook JSON) is small.
      body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await bodyText(req, SMALL_BODY_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLargeError) return responseToResult(tooLarge(e.limit));
      throw e;
    }
    const headers = new Headers();
    req.headers.forEach((v, k) => headers.append(k, v));
    return responseToResult(await handle(new Request(req.url, { method: req.method, headers, body })));
  }

  async function handle(req: Request, opts: HandleOptions = {}): Promise<Response> {
    await core.ready;
    const started = Date.now();
    const url = new URL(req.url);
    const other = routesToSecond(url.pathname) ? secondOrganization() : null;
    if (other) return other.handle(req, opts);
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return notFound();
      path = path.slice(basePath.length) || '/';
    }
    const bases = basesOf(req, url);
    const held: string[] = [];
    try {
      const api = API_RE.exec(path);
      if (api?.[1]) return resultToResponse(await handleApi(req, url, bases, api[1], api[2] ?? '', started, held));
      if (path.startsWith('/api/data/')) {
        const seg = path.slice('/api/data/'.length).split('/')[0] ?? '';
        return new Response(errorBody(new DataverseError(404, '0x8006088a', `Resource not found for the segment '${seg}'.`), false), {
          status: 404,
          headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
        });
      }
      if (path.startsWith('/login/') || path === '/_sandbox' || path.startsWith('/_sandbox/')) {
        // Identity forms and hook JSON are small: read under the limit, never buffered whole.
        if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
          try {
            req = withBody(req, await bodyText(req, SMALL_BODY_BYTES));
          } catch (e) {
            if (e instanceof BodyTooLargeError) return tooLarge(e.limit);
            throw e;
          }
        }
      }
      if (path.startsWith('/login/')) {
        const logBody = req.method === 'POST' ? await req.clone().text() : '';
        let res: Response;
        let fault: string | undefined;
        // The tenant segment selects the organization (its users, grants, faults and log).
        const segment = path.slice('/login/'.length).split('/')[0] ?? '';
        const kind = classifyTenant(segment);
        const tenant = kind ? tenantOf(segment, kind) : null;
        if (kind && tenant === null) {
          const e = aad.tenantNotFound(segment);
          return new Response(JSON.stringify({ error: e.error, error_description: e.message }), {
            status: 400,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          });
        }
        const org = tenant ? await orgFor(tenant, held) : core;
        const decision = org.faults.active ? org.faults.decide('identity', req.method, path) : null;
        if (decision?.delayMs) await new Promise((r) => setTimeout(r, decision.delayMs));
        if (decision?.failure) {
          fault = decision.failure.kind;
          res =
            decision.failure.kind === 'drop'
              ? dropResponse()
              : new Response(
                  JSON.stringify({
                    error: 'temporarily_unavailable',
                    error_description: 'AADSTS50196: The server terminated an operation because it encountered a client request loop.',
                  }),
                  {
                    status: decision.failure.kind === '429' ? 429 : 503,
                    headers: {
                      'content-type': 'application/json; charset=utf-8',
                      'retry-after': String(decision.failure.retryAfterSeconds ?? 1),
                    },
                  },
                );
        } else {
          res = await handleIdentity(org, req, url, path.slice('/login/'.length), bases);
        }
        org.log.add({
          time: new Date(started).toISOString(),
          method: req.method,
          path: path + url.search,
          headers: redactHeaders(req.headers),
          body: redactBody(logBody, true),
          status: res.status,
          durationMs: Date.now() - started,
          fault,
        });
        return res;
      }
      if (path === '/_sandbox' || path.startsWith('/_sandbox/'))
        return await handleHooks(
          opts.hooksTenant ? await orgFor(opts.hooksTenant, held) : core,
          req,
          url,
          path.slice('/_sandbox/'.length).replace(/\/+$/, ''),
          bases.service,
        );
      if (path === '/' || path === '') {
        return new Response(JSON.stringify(core.info(bases.service)), {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        });
      }
      return notFound();
    } catch (e) {
      // Never leak a stack trace; the error envelope keeps clients' parsers happy.
      const message = e instanceof Error ? e.message : String(e);
      return new Response(JSON.stringify({ error: { code: '0x80040216', message: `An unexpected error occurred: ${message}` } }), {
        status: 500,
        headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
      });
    } finally {
      release(held);
    }
  }

  return {
    handle,
    dispatch,
    // Not pinned: an organization held beyond a request may be unloaded (its later changes are then not persisted).
    org: (tenantId) => orgFor(tenantId),
    core,
    ready: core.ready,
    basePath,
    flush: () => {
      core.flush();
      second?.flush();
    },
    loadedOrganizations: () => [core.tenantId, ...orgs.keys()],
    evictions: async () => {
      while (unloading.size) await Promise.all(unloading.values());
      await second?.evictions();
    },
    secondOrganization,
  };
}

function notFound(): Response {
  return new Response(JSON.stringify({ error: { code: 'not_found', message: 'No sandbox resource at this path.' } }), {
    status: 404,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/** `1,199,998.27`: the combined duration left, in milliseconds with two decimals and thousands separators, as real responses show it. */
function formatMilliseconds(ms: number): string {
  return ms.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
