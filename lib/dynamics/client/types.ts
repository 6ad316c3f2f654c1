/**
 * The contract between the Dataverse client (lib/dynamics/client) and everything that uses it
 * (metadata discovery, the connector's actions and events, the catalog's verification, the flow
 * runtime). Nothing outside lib/dynamics/client builds OData URLs or talks to the token endpoint.
 */
import type { Clock, Resolver, Transport } from './seams';

export type ApiVersion = 'v9.0' | 'v9.1' | 'v9.2';
export type AuthMethod = 'auth_code' | 'basic_oauth' | 'password';

/** A Dynamics account (connection) as the client needs it, secrets decrypted. */
export interface AccountConnection {
  id: string;
  /** e.g. `https://contoso.crm.dynamics.com` or the sandbox `http://localhost:3000/sandbox`; no trailing slash. */
  serviceUrl: string;
  apiVersion: ApiVersion;
  /** Authority, e.g. `https://login.microsoftonline.com/organizations`. */
  identityEndpoint: string;
  method: AuthMethod;
  clientId: string;
  secrets: AccountSecrets;
}

export interface AccountSecrets {
  clientSecret?: string;
  username?: string;
  password?: string;
  accessToken?: string;
  refreshToken?: string;
  /** ISO time the access token expires. */
  accessTokenExpiresAt?: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** ISO time. */
  expiresAt: string;
}

/**
 * Port through which the client persists what changes while it works: rotated refresh tokens
 * (saved, encrypted, at once) and a revoked grant ("needs reconnecting").
 */
export interface AccountStatePort {
  saveTokens(accountId: string, tokens: TokenSet): Promise<void>;
  markNeedsReconnect(accountId: string, reason: string): Promise<void>;
}

export interface RetryPolicy {
  /** Total tries including the first (default 4). */
  maxAttempts: number;
  /** First backoff delay in ms (default 1000); doubles each try, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-call timeout in ms (default 30_000). */
  timeoutMs: number;
  /** Share of each backoff delay that is random (0–1, default 0.5): delay ∈ [d·(1−jitter), d]. */
  jitter?: number;
}

export interface ClientOptions {
  /** Concurrent requests per account: default 8, never above 52. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Extra hosts allowed besides Dynamics hosts (configuration allow-list). */
  allowedHosts?: string[];
  signal?: AbortSignal;
  /** Entity set → logical name (from metadata), for the default primary key `<logical name>id`. */
  entityLogicalNames?: Record<string, string>;
  /** Refresh tokens this long before they expire (default 120 000 ms). */
  tokenSkewMs?: number;
  /** Scope suffix requested for the organization (default `.default`). */
  scopePermission?: '.default' | 'user_impersonation';
  /** Test seams: time/sleep/randomness, the wire, and DNS. */
  clock?: Clock;
  transport?: Transport;
  resolver?: Resolver;
}

export type DataverseRecord = Record<string, unknown>;

/** A condition on a column; values are data, never query text. */
export interface Condition {
  /** Logical column name (validated `^[a-z_][a-z0-9_]*$`); lookups as `_parentcustomerid_value`. */
  field: string;
  operator:
    | 'eq'
    | 'ne'
    | 'gt'
    | 'ge'
    | 'lt'
    | 'le'
    | 'contains'
    | 'not_contains'
    | 'startswith'
    | 'endswith'
    | 'null'
    | 'not_null'
    | 'in'
    | 'on'
    | 'on_or_after'
    | 'on_or_before'
    | 'last_x_days'
    | 'next_x_days';
  value?: string | number | boolean | null | (string | number)[];
  /**
   * Column type hint from metadata, so the literal is written right (e.g. a datetime bare, a
   * GUID unquoted). Without it: strings are quoted, strict ISO datetimes and GUIDs on `_x_value`
   * lookups are written bare.
   */
  type?: 'string' | 'number' | 'boolean' | 'datetime' | 'date' | 'guid';
}

export interface ConditionGroup {
  match: 'all' | 'any';
  conditions: (Condition | ConditionGroup)[];
}

export interface QueryOptions {
  select?: string[];
  filter?: ConditionGroup;
  orderBy?: { field: string; descending?: boolean }[];
  /** Max rows overall. */
  top?: number;
  /** Rows per page (`Prefer: odata.maxpagesize`), default 500, max 5000. */
  pageSize?: number;
  /** Single-valued navigation properties to expand, with their columns. */
  expand?: { navigationProperty: string; select?: string[] }[];
  /** Include formatted values (choice labels, lookup names). */
  formattedValues?: boolean;
}

export interface FetchPagesOptions {
  /** Rows per page (the `<fetch count>`, unless the query sets one), default 500, max 5000. */
  pageSize?: number;
  /** Include formatted values (choice labels, lookup names). */
  formattedValues?: boolean;
  signal?: AbortSignal;
}

/** Address of a row: its primary key, or an alternate key's columns. */
export type RowKey = { id: string } | { alternateKey: Record<string, string | number> };

export interface UpsertResult {
  id: string;
  created: boolean;
}

export interface ChangesPage {
  /** New and changed rows. */
  changed: DataverseRecord[];
  /** Ids of rows deleted since the last token. */
  deleted: string[];
  /** Give this back to get the next changes (set on the last page; earlier pages repeat the token given). */
  deltaToken: string;
  /** True on the last page of this round (the one whose token to store). */
  final?: boolean;
}

export interface WhoAmI {
  UserId: string;
  BusinessUnitId: string;
  OrganizationId: string;
}

/** The client for one account. `entitySet` is the table's EntitySetName (e.g. `accounts`). */
export interface DataverseClient {
  readonly accountId: string;
  whoAmI(signal?: AbortSignal): Promise<WhoAmI>;
  /**
   * Creates a row. The client generates the primary key when `id` is not given (so a retried
   * create cannot duplicate; a duplicate-key answer after a lost response counts as success).
   */
  create(
    entitySet: string,
    data: DataverseRecord,
    opts?: { id?: string; primaryKey?: string; select?: string[]; signal?: AbortSignal },
  ): Promise<{ id: string; record?: DataverseRecord }>;
  retrieve(
    entitySet: string,
    key: RowKey,
    opts?: { select?: string[]; expand?: QueryOptions['expand']; formattedValues?: boolean; signal?: AbortSignal },
  ): Promise<DataverseRecord | null>;
  /** Lazily streams pages: never holds the whole result set. */
  retrievePages(entitySet: string, query: QueryOptions, signal?: AbortSignal): AsyncIterable<DataverseRecord[]>;
  /**
   * Lazily streams the pages of a FetchXML query (`count`/`page` with the paging cookie); stop
   * iterating to stop asking. A query with `top` is one page.
   */
  fetchPages(entitySet: string, fetchXml: string, opts?: FetchPagesOptions): AsyncIterable<DataverseRecord[]>;
  count(entitySet: string, filter?: ConditionGroup, signal?: AbortSignal): Promise<number>;
  update(entitySet: string, key: RowKey, data: DataverseRecord, opts?: { etag?: string; signal?: AbortSignal }): Promise<void>;
  /** `mode`: upsert (default), createOnly (`If-None-Match: *`), updateOnly (`If-Match: *`). */
  upsert(
    entitySet: string,
    key: RowKey,
    data: DataverseRecord,
    opts?: { mode?: 'upsert' | 'createOnly' | 'updateOnly'; primaryKey?: string; signal?: AbortSignal },
  ): Promise<UpsertResult>;
  delete(entitySet: string, key: RowKey, signal?: AbortSignal): Promise<void>;
  /**
   * Relates two rows through a collection-valued (e.g. many-to-many) navigation property:
   * `POST <set>(<id>)/<nav>/$ref`. A pair already related is Dataverse's duplicate error
   * (`DUPLICATE_KEY_CODE`), except after a lost answer, when it counts as done.
   */
  associate(
    entitySet: string,
    id: string,
    navigationProperty: string,
    related: { entitySet: string; id: string },
    signal?: AbortSignal,
  ): Promise<void>;
  /** Removes that relation: `DELETE <set>(<id>)/<nav>(<related id>)/$ref`. */
  disassociate(entitySet: string, id: string, navigationProperty: string, relatedId: string, signal?: AbortSignal): Promise<void>;
  /** Change tracking: without a token, starts tracking (returns all rows as changed). */
  changes(
    entitySet: string,
    opts: { select?: string[]; deltaToken?: string; pageSize?: number; signal?: AbortSignal },
  ): AsyncIterable<ChangesPage>;
  /** Metadata GET under the Web API root, e.g. `EntityDefinitions?$select=LogicalName`; lib/dynamics/metadata builds these paths from validated names. */
  getMetadata<T>(path: string, signal?: AbortSignal): Promise<T>;
}

/** The one error type every Dataverse or token failure becomes. */
export interface DataverseErrorInfo {
  /** HTTP status, 0 for network errors and timeouts. */
  status: number;
  /** Dataverse hex code like `0x80040237`, or the token endpoint's `invalid_grant`, or `network`/`timeout`. */
  code: string;
  /** Microsoft's message, verbatim. */
  serviceMessage: string;
  /** Plain-words explanation for people. */
  explanation: string;
  transient: boolean;
}
