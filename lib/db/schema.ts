// The Kysely view of the database. One set of portable column types serves SQLite and
// PostgreSQL alike: text ids, ISO-8601 UTC text timestamps, integers, JSON stored as text.
// Keep in step with lib/db/migrations/.

import type { Generated } from 'kysely';

/** ISO-8601 UTC timestamp as produced by `Date#toISOString()`; sorts correctly as text. */
export type IsoTimestamp = string;
/** A JSON document serialised to text. */
export type JsonText = string;

export interface UsersTable {
  id: string;
  /** Stored lowercased; unique. */
  email: string;
  name: string;
  /** Null for users who only sign in through an external identity provider. */
  password_hash: string | null;
  created_at: IsoTimestamp;
}

export interface ApiTokensTable {
  id: string;
  owner_id: string;
  name: string;
  /** sha256 hex of the raw token; the raw token is never stored. */
  token_hash: string;
  /** The first characters of the raw token, shown so people can tell tokens apart. */
  prefix: string;
  created_at: IsoTimestamp;
  last_used_at: IsoTimestamp | null;
  expires_at: IsoTimestamp | null;
  revoked_at: IsoTimestamp | null;
  /** The token whose bearer minted this one (migration 004); null when minted from a session. */
  parent_token_id: string | null;
}

export type AccountAuthMethod = 'auth_code' | 'basic_oauth' | 'password';

export interface AccountsTable {
  id: string;
  owner_id: string;
  application: string;
  name: string;
  service_url: string;
  api_version: string;
  identity_endpoint: string;
  auth_method: AccountAuthMethod;
  /** Non-secret settings (client id, tenant, ...). */
  config_json: JsonText;
  /** Encrypted JSON object of secrets (lib/secrets); null when none are stored yet. */
  secrets_enc: string | null;
  status: string;
  status_reason: string | null;
  /** The signed-in identity (e.g. the WhoAmI user) shown to the owner. */
  principal: string | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}

export type FlowStatus = 'draft' | 'active' | 'stopped';

export interface FlowsTable {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  status: FlowStatus;
  /** The newest saved version number (flow_versions.version); 1 after creation. */
  current_version: number;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  /** The version runs use (migration 007); null until the flow is first started. */
  published_version: number | null;
  /** When the flow was last started: only trigger events after it count. */
  started_at: IsoTimestamp | null;
  /** sha256 hex of the API trigger's per-flow key (the key itself is shown once). */
  invoke_key_hash: string | null;
  invoke_key_prefix: string | null;
}

export interface FlowVersionsTable {
  id: string;
  flow_id: string;
  owner_id: string;
  version: number;
  document_json: JsonText;
  created_at: IsoTimestamp;
}

export interface RunsTable {
  id: string;
  owner_id: string;
  flow_id: string;
  flow_version: number;
  status: string;
  trigger_json: JsonText | null;
  error_json: JsonText | null;
  started_at: IsoTimestamp | null;
  finished_at: IsoTimestamp | null;
  created_at: IsoTimestamp;
  /** Migration 007: `live` (a started flow's trigger) or `test` (a draft tested from the editor). */
  mode: Generated<string>;
  /** The trigger node's type, e.g. `api.request`, `dynamics.lead.new`. */
  trigger_kind: string | null;
  /** One run per trigger event: unique per flow when set. */
  dedupe_key: string | null;
  /** The engine's run state, written after every step (lib/flows/engine). */
  state_json: JsonText | null;
  /** What a Response node answered: `{ status, headers, body }`. */
  response_json: JsonText | null;
  /** Bumped by every claim; a step write must name the fence it was claimed with. */
  fence: Generated<number>;
  lease_owner: string | null;
  /** Epoch ms; a running run whose lease is past may be claimed again (its worker is presumed dead). */
  lease_until: Generated<number | string>;
  /** Epoch ms; a queued run is not claimed before this (retry delays). */
  available_at: Generated<number | string>;
  /** How many runs of the same flow led to this one (a flow that re-triggers itself). */
  chain_depth: Generated<number>;
  rerun_of: string | null;
  step_count: Generated<number>;
  updated_at: IsoTimestamp | null;
}

export interface RunStepsTable {
  id: string;
  run_id: string;
  owner_id: string;
  step_id: string;
  attempt: number;
  status: string;
  input_json: JsonText | null;
  output_json: JsonText | null;
  error_json: JsonText | null;
  started_at: IsoTimestamp | null;
  finished_at: IsoTimestamp | null;
  /** Migration 007: the node of the step (`step_id` is the step key, iteration included). */
  node_id: string | null;
  node_type: string | null;
  duration_ms: number | null;
}

export interface TriggerStateTable {
  flow_id: string;
  owner_id: string;
  trigger_key: string;
  cursor_json: JsonText;
  updated_at: IsoTimestamp;
}

/** Installation-wide settings that belong to no user (e.g. the encryption key-check value). */
export interface AppSettingsTable {
  key: string;
  value: string;
}

/** A "Sign in with Microsoft" in progress (migration 002); consumed once by the callback. */
export interface PendingSignInsTable {
  state_hash: string;
  owner_id: string;
  expires_at: IsoTimestamp;
}

/** A sign-in throttle counter (migration 004); times are epoch milliseconds. */
export interface RateLimitsTable {
  key: string;
  points: number;
  /** No attempt is allowed before this; 0 or past when free. PostgreSQL returns bigint as text. */
  blocked_until: number | string;
  /** The nonce of the last allowed attempt: how an attempt learns that the upsert let it through. */
  last_attempt: string;
  /** The row may be evicted after this. */
  expires_at: number | string;
}

/** A signed-in browser session (migration 004): the JWT names it, sign-out revokes it. */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: IsoTimestamp;
  expires_at: IsoTimestamp;
  revoked_at: IsoTimestamp | null;
}

/** A single-owner lease (migration 007): pollers, schedules, pruning. Epoch ms. */
export interface RuntimeLeasesTable {
  name: string;
  holder: string;
  expires_at: number | string;
}

/** A live worker process (migration 007). Epoch ms. */
export interface RuntimeWorkersTable {
  id: string;
  kind: string;
  started_at: number | string;
  heartbeat_at: number | string;
}

/** An account's installation-wide `Retry-After` gate (migration 007). Epoch ms. */
export interface AccountGatesTable {
  account_id: string;
  closed_until: number | string;
  updated_at: number | string;
}

export interface DB {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  accounts: AccountsTable;
  flows: FlowsTable;
  flow_versions: FlowVersionsTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  trigger_state: TriggerStateTable;
  app_settings: AppSettingsTable;
  pending_sign_ins: PendingSignInsTable;
  rate_limits: RateLimitsTable;
  sessions: SessionsTable;
  runtime_leases: RuntimeLeasesTable;
  runtime_workers: RuntimeWorkersTable;
  account_gates: AccountGatesTable;
  flow_writes: FlowWritesTable;
}

/** A Dynamics record a flow wrote (migration 008): its poller ignores that change of the record. Epoch ms. */
export interface FlowWritesTable {
  flow_id: string;
  owner_id: string;
  table_name: string;
  record_id: string;
  written_at: number | string;
}
