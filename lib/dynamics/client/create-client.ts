/**
 * `createDataverseClient`: the `DataverseClient` of one account. Every URL
 * comes from `odata/`; every call goes through the account's `Executor` (concurrency, Retry-After
 * gate, retries, token, guarded transport).
 *
 * Why not `dynamics-web-api` (the field's usual Web API client) on the wire: its transport cannot be
 * replaced, and it (a) sends through `http_proxy` ignoring `NO_PROXY`, so tokens could leave for a
 * proxy; (b) has no connect-time DNS hook, so the SSRF guard (private addresses, DNS rebinding)
 * could not be enforced; (c) rewrites filters, dates and annotation keys and silently turns long
 * URLs into `$batch`; (d) cannot tell whether an upsert created or updated. The same end — nobody
 * outside `odata/` builds OData — is kept, and `dynamics-web-api` is still run against the sandbox
 * in `lib/dynamics/sandbox` as an independent client.
 */
import { tokenProviderFor } from './tokens/token-provider';
import { systemClock } from './clock';
import { checkFetchXml } from '../fetchxml/fetch-xml-check';
import { cookieFromAnnotation, pageQuery, PAGING_ANNOTATIONS } from '../fetchxml/fetch-paging';
import { DataverseError } from './errors/dataverse-error';
import { DUPLICATE_KEY_CODE } from './errors/error-table';
import { Executor } from './execute';
import { assertGuid, assertNavigationProperty, isGuid } from './odata/names';
import { primaryKeyOf } from './odata/primary-key';
import { assertMetadataPath, buildPrefer, buildQueryString, collectionPath, rowPath, withQuery } from './odata/query';
import { resolvePolicy } from './retry/policy';
import { accountThrottle } from './throttle/account-registry';
import { limitKeyOf } from './throttle/limit-key';
import { createHttpTransport, type Transport, type WireResponse } from './transport/http-transport';
import type {
  AccountConnection,
  AccountStatePort,
  ChangesPage,
  ClientOptions,
  ConditionGroup,
  DataverseClient,
  DataverseRecord,
  FetchPagesOptions,
  QueryOptions,
  RowKey,
  UpsertResult,
  WhoAmI,
} from './types';
import { checkIdentityEndpoint, checkServiceUrl } from './url-safety/check-service-url';

interface FetchCollection {
  value?: DataverseRecord[];
  '@Microsoft.Dynamics.CRM.morerecords'?: boolean;
  '@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'?: string;
}

interface Collection<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const DEFAULT_PAGE_SIZE = 500;
const isDuplicate = (e: DataverseError): boolean => e.code === DUPLICATE_KEY_CODE || (e.status === 412 && e.code === '');
const isNotFound = (e: DataverseError): boolean => e.status === 404;
const emptyAnswer = (status = 204): WireResponse => ({ status, headers: new Headers(), body: '' });

const transports = new Map<string, Transport>();

/** One keep-alive transport per allow-list in the process (tests may inject their own). */
function sharedTransport(opts: ClientOptions): Transport {
  if (opts.transport) return opts.transport;
  if (opts.resolver) return createHttpTransport({ allowedHosts: opts.allowedHosts, resolver: opts.resolver });
  const key = JSON.stringify([...(opts.allowedHosts ?? [])].sort());
  let t = transports.get(key);
  if (!t) {
    t = createHttpTransport({ allowedHosts: opts.allowedHosts });
    transports.set(key, t);
  }
  return t;
}

/** The id at the end of `OData-EntityId: …/accounts(<guid>)`. */
function idFromEntityId(header: string | null): string | undefined {
  const m = header ? /\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)$/i.exec(header) : null;
  return m?.[1]?.toLowerCase();
}

function combineSignals(a?: AbortSignal, b?: AbortSignal): AbortSignal | undefined {
  if (a && b) return AbortSignal.any([a, b]);
  return a ?? b;
}

/**
 * Creates the client of one account. Throws `unsafe_url` when the service URL or identity endpoint
 * is not allowed (DNS answers are checked at connect time).
 *
 * @example
 * const client = createDataverseClient(account, statePort, { allowedHosts: ['localhost:3000'] });
 * const { id } = await client.create('accounts', { name: 'Contoso' });
 * for await (const page of client.retrievePages('accounts', { select: ['name'], pageSize: 500 })) { … }
 */
export function createDataverseClient(
  account: AccountConnection,
  statePort: AccountStatePort,
  options: ClientOptions = {},
): DataverseClient {
  const service = checkServiceUrl(account.serviceUrl, options);
  if (!service.ok) throw DataverseError.local('unsafe_url', service.reason);
  const identity = checkIdentityEndpoint(account.identityEndpoint, options);
  if (!identity.ok) throw DataverseError.local('unsafe_url', identity.reason);
  const clock = options.clock ?? systemClock;
  const transport = sharedTransport(options);
  const policy = resolvePolicy(options.retry);
  const apiRoot = `${service.url}/api/data/${account.apiVersion}/`;
  const tokens = tokenProviderFor({ ...account, serviceUrl: service.url, identityEndpoint: identity.url }, statePort, {
    transport,
    clock,
    ...(options.tokenSkewMs !== undefined ? { skewMs: options.tokenSkewMs } : {}),
    ...(options.scopePermission ? { scopePermission: options.scopePermission } : {}),
    timeoutMs: policy.timeoutMs,
  });
  // Limits are per Dataverse user and environment, so accounts signed in as the same user share them.
  const throttle = accountThrottle(account.id, options.concurrency, limitKeyOf({ ...account, serviceUrl: service.url }));
  const exec = new Executor({ apiRoot, transport, tokens, throttle, policy, clock });
  const sig = (s?: AbortSignal): AbortSignal | undefined => combineSignals(options.signal, s);

  async function retrieveByKey(entitySet: string, key: RowKey, select: string[], signal?: AbortSignal): Promise<DataverseRecord | null> {
    try {
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
      const { data } = await exec.json<DataverseRecord>({
        method: 'GET',
        path: withQuery(rowPath(entitySet, key), buildQueryString({ select })),
        signal: sig(signal),
      });
      return data;
    } catch (err) {
      if (err instanceof DataverseError && isNotFound(err)) return null;
      throw err;
    }
  }

  async function* pages(
    firstPath: string,
    prefer: string | undefined,
    limit: number | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<{ rows: DataverseRecord[]; deltaLink?: string; last: boolean }> {
    let path: string | undefined = firstPath;
    let seen = 0;
    while (path) {
      // Re-send the same Prefer on every page and never edit the link.
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
      const answer: { data: Collection<DataverseRecord> | null } = await exec.json<Collection<DataverseRecord>>({
        method: 'GET',
        path,
        headers: prefer ? { prefer } : {},
        signal: sig(signal),
      });
      const data = answer.data;
      let rows = Array.isArray(data?.value) ? data.value : [];
      if (limit !== undefined && seen + rows.length >= limit) rows = rows.slice(0, limit - seen);
      seen += rows.length;
      const next: string | undefined = limit !== undefined && seen >= limit ? undefined : data?.['@odata.nextLink'];
      yield { rows, ...(data?.['@odata.deltaLink'] ? { deltaLink: data['@odata.deltaLink'] } : {}), last: !next };
      path = next;
    }
  }

  const client: DataverseClient = {
    accountId: account.id,

    async whoAmI(signal) {
      // GET `WhoAmI` (no parentheses); the answer holds UserId, BusinessUnitId, OrganizationId.
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoamiresponse
      const { data } = await exec.json<WhoAmI>({ method: 'GET', path: 'WhoAmI', signal: sig(signal) });
      if (!data || !isGuid(data.UserId))
        throw new DataverseError({
          status: 200,
          code: 'invalid_response',
          serviceMessage: 'WhoAmI answer without UserId.',
          transient: false,
        });
      return { UserId: data.UserId, BusinessUnitId: data.BusinessUnitId, OrganizationId: data.OrganizationId };
    },

    async create(entitySet, data, opts = {}) {
      const pk = primaryKeyOf(entitySet, opts.primaryKey, options.entityLogicalNames);
      const given = opts.id ?? (typeof data[pk] === 'string' ? (data[pk] as string) : undefined);
      if (given !== undefined && !isGuid(given)) throw DataverseError.local('invalid_request', `Invalid id for ${pk}.`);
      const id = given?.toLowerCase() ?? crypto.randomUUID();
      const select = opts.select?.length ? opts.select : undefined;
      // The client-chosen primary key makes a retried create unable to duplicate; a duplicate-key
      // answer after a lost answer means the first one landed.
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
      const response = await exec.send({
        method: 'POST',
        path: withQuery(collectionPath(entitySet), buildQueryString({ ...(select ? { select } : {}) })),
        headers: select ? { prefer: buildPrefer({ returnRepresentation: true }) ?? '' } : {},
        body: { ...data, [pk]: id },
        signal: sig(opts.signal),
        afterUnknownOutcome: (err) => (isDuplicate(err) ? emptyAnswer(204) : null),
      });
      const returnedId = idFromEntityId(response.headers.get('odata-entityid')) ?? id;
      if (!select) return { id: returnedId };
      const record = response.body
        ? (JSON.parse(response.body) as DataverseRecord)
        : await retrieveByKey(entitySet, { id }, select, opts.signal);
      return { id: returnedId, ...(record ? { record } : {}) };
    },

    async retrieve(entitySet, key, opts = {}) {
      try {
        // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
        const prefer = buildPrefer({ formattedValues: opts.formattedValues });
        const { data } = await exec.json<DataverseRecord>({
          method: 'GET',
          path: withQuery(
            rowPath(entitySet, key),
            buildQueryString({ ...(opts.select ? { select: opts.select } : {}), ...(opts.expand ? { expand: opts.expand } : {}) }),
          ),
          headers: prefer ? { prefer } : {},
          signal: sig(opts.signal),
        });
        return data;
      } catch (err) {
        if (err instanceof DataverseError && isNotFound(err) && (err.code === '0x80040217' || err.code === '')) return null;
        throw err;
      }
    },

    async *retrievePages(entitySet: string, query: QueryOptions, signal?: AbortSignal) {
      const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
      // `$top` is ignored together with odata.maxpagesize: use `$top` only when one page suffices,
      // else page and stop after `top` rows.
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results
      const single = query.top !== undefined && query.top <= pageSize;
      const qs = buildQueryString({ ...query, ...(single ? {} : { top: undefined }) });
      const prefer = buildPrefer({ formattedValues: query.formattedValues, ...(single ? {} : { maxPageSize: pageSize }) });
      for await (const page of pages(withQuery(collectionPath(entitySet), qs), prefer, query.top, signal)) {
        if (page.rows.length) yield page.rows;
      }
    },

    // FetchXML over the Web API: `GET <set>?fetchXml=…`, paged with `count`/`page` and the paging cookie.
    // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/retrieve-data
    async *fetchPages(entitySet: string, fetchXml: string, opts: FetchPagesOptions = {}) {
      const checked = checkFetchXml(fetchXml);
      if (!checked.ok) throw DataverseError.local('invalid_request', checked.message);
      const root = checked.root;
      const prefer = `odata.include-annotations="${opts.formattedValues ? 'OData.Community.Display.V1.FormattedValue,' : ''}${PAGING_ANNOTATIONS}"`;
      const path = (xml: string) => `${collectionPath(entitySet)}?fetchXml=${encodeURIComponent(xml)}`;
      if (root.attrs.has('top')) {
        // `top` and paging do not mix: one request.
        // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results
        const { data } = await exec.json<FetchCollection>({
          method: 'GET',
          path: path(fetchXml),
          headers: { prefer },
          signal: sig(opts.signal),
        });
        if (data?.value?.length) yield data.value;
        return;
      }
      const given = Number(root.attrs.get('count'));
      const count =
        Number.isInteger(given) && given >= 1 && given <= 5000 ? given : Math.min(Math.max(1, opts.pageSize ?? DEFAULT_PAGE_SIZE), 5000);
      let page = Number(root.attrs.get('page')) || 1;
      let cookie: string | null = null;
      for (;;) {
        // GET <set>?fetchXml=…; the next page carries the cookie of the one before.
        // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results#paging-cookies
        const { data }: { data: FetchCollection | null } = await exec.json<FetchCollection>({
          method: 'GET',
          path: path(pageQuery(root, page, count, cookie)),
          headers: { prefer },
          signal: sig(opts.signal),
        });
        const rows = Array.isArray(data?.value) ? data.value : [];
        if (rows.length) yield rows;
        if (data?.['@Microsoft.Dynamics.CRM.morerecords'] !== true || rows.length === 0) return;
        cookie = cookieFromAnnotation(data['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie']);
        page++;
      }
    },

    async count(entitySet: string, filter?: ConditionGroup, signal?: AbortSignal) {
      // `/$count` answers text/plain (capped at 5,000).
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/count-rows
      const response = await exec.send({
        method: 'GET',
        path: withQuery(`${collectionPath(entitySet)}/$count`, buildQueryString({ ...(filter ? { filter } : {}) })),
        headers: { accept: 'text/plain' },
        signal: sig(signal),
      });
      const n = Number.parseInt(response.body.replace(/^\uFEFF/, '').trim(), 10);
      if (!Number.isFinite(n))
        throw new DataverseError({
          status: response.status,
          code: 'invalid_response',
          serviceMessage: 'The count is not a number.',
          transient: false,
        });
      return n;
    },

    async update(entitySet, key, data, opts = {}) {
      // `If-Match: *` prevents an accidental create (a PATCH without it is an upsert).
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-update
      await exec.send({
        method: 'PATCH',
        path: rowPath(entitySet, key),
        headers: { 'if-match': opts.etag ?? '*' },
        body: data,
        signal: sig(opts.signal),
      });
    },

    async upsert(entitySet, key, data, opts = {}): Promise<UpsertResult> {
      const mode = opts.mode ?? 'upsert';
      const pk = primaryKeyOf(entitySet, opts.primaryKey, options.entityLogicalNames);
      const condition: Record<string, string> =
        mode === 'createOnly' ? { 'if-none-match': '*' } : mode === 'updateOnly' ? { 'if-match': '*' } : {};
      // With return=representation, 201 = created and 200 = updated.
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-upsert-insert-update-record
      const response = await exec.send({
        method: 'PATCH',
        path: withQuery(rowPath(entitySet, key), buildQueryString({ select: [pk] })),
        headers: { ...condition, prefer: buildPrefer({ returnRepresentation: true }) ?? '' },
        body: data,
        signal: sig(opts.signal),
        afterUnknownOutcome: (err) => (mode === 'createOnly' && isDuplicate(err) ? emptyAnswer(201) : null),
      });
      let id = 'id' in key ? key.id.toLowerCase() : undefined;
      if (response.body) {
        const record = JSON.parse(response.body) as DataverseRecord;
        if (typeof record[pk] === 'string') id = (record[pk] as string).toLowerCase();
      }
      id ??= idFromEntityId(response.headers.get('odata-entityid'));
      if (!id) {
        const row = await retrieveByKey(entitySet, key, [pk], opts.signal);
        id = typeof row?.[pk] === 'string' ? (row[pk] as string) : undefined;
      }
      if (!id)
        throw new DataverseError({
          status: response.status,
          code: 'invalid_response',
          serviceMessage: 'The upsert answer did not say which record.',
          transient: false,
        });
      return { id, created: response.status === 201 };
    },

    async delete(entitySet, key, signal) {
      // A 404 after a lost answer means it is gone.
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#basic-delete
      await exec.send({
        method: 'DELETE',
        path: rowPath(entitySet, key),
        signal: sig(signal),
        afterUnknownOutcome: (err) => (isNotFound(err) ? emptyAnswer(204) : null),
      });
    },

    async associate(entitySet, id, navigationProperty, related, signal) {
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api#add-a-reference-to-a-collection-valued-navigation-property
      await exec.send({
        method: 'POST',
        path: `${rowPath(entitySet, { id })}/${assertNavigationProperty(navigationProperty)}/$ref`,
        body: { '@odata.id': `${apiRoot}${rowPath(related.entitySet, { id: related.id })}` },
        signal: sig(signal),
        afterUnknownOutcome: (err) => (isDuplicate(err) ? emptyAnswer(204) : null),
      });
    },

    async disassociate(entitySet, id, navigationProperty, relatedId, signal) {
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api#remove-a-reference-to-a-table
      await exec.send({
        method: 'DELETE',
        path: `${rowPath(entitySet, { id })}/${assertNavigationProperty(navigationProperty)}(${assertGuid(relatedId)})/$ref`,
        signal: sig(signal),
        afterUnknownOutcome: (err) => (isNotFound(err) ? emptyAnswer(204) : null),
      });
    },

    async *changes(
      entitySet: string,
      opts: { select?: string[]; deltaToken?: string; pageSize?: number; signal?: AbortSignal },
    ): AsyncGenerator<ChangesPage> {
      // `Prefer: odata.track-changes` starts tracking; the deltaLink's `$deltatoken` gets the next changes.
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
      const qs = buildQueryString({ ...(opts.select ? { select: opts.select } : {}) });
      const token = opts.deltaToken ? `$deltatoken=${encodeURIComponent(opts.deltaToken)}` : '';
      const path = withQuery(collectionPath(entitySet), [qs, token].filter(Boolean).join('&'));
      const prefer = buildPrefer({ trackChanges: true, ...(opts.pageSize ? { maxPageSize: opts.pageSize } : {}) });
      for await (const page of pages(path, prefer, undefined, opts.signal)) {
        const changed: DataverseRecord[] = [];
        const deleted: string[] = [];
        for (const row of page.rows) {
          const ctx = typeof row['@odata.context'] === 'string' ? row['@odata.context'] : '';
          if (ctx.endsWith('$deletedEntity') || ctx.includes('/$deletedEntity')) {
            if (typeof row.id === 'string') deleted.push(row.id.toLowerCase());
          } else changed.push(row);
        }
        const next = page.deltaLink ? (new URL(page.deltaLink).searchParams.get('$deltatoken') ?? '') : '';
        yield { changed, deleted, deltaToken: page.last ? next : (opts.deltaToken ?? ''), final: page.last };
      }
    },

    async getMetadata<T>(path: string, signal?: AbortSignal): Promise<T> {
      // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
      const safe = assertMetadataPath(path);
      const xml = safe.startsWith('$metadata');
      const response = await exec.send({
        method: 'GET',
        path: safe,
        headers: xml ? { accept: 'application/xml' } : {},
        signal: sig(signal),
      });
      if (xml) return response.body as T;
      try {
        return JSON.parse(response.body) as T;
      } catch (cause) {
        throw new DataverseError({
          status: response.status,
          code: 'invalid_response',
          serviceMessage: 'The metadata answer is not valid JSON.',
          transient: false,
          cause,
        });
      }
    },
  };
  return client;
}
