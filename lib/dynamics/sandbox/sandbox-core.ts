/**
 * The sandbox's state: organization store, identity grants and signing key, runtime config,
 * faults, request log and throttle — plus reset, bulk generation and persistence wiring.
 */
import { join } from 'node:path';
import { defaultConfig, type SandboxConfig } from './context';
import { Faults } from './faults';
import { GrantStore } from './identity/grants';
import { APP_CALLBACK_PATH, type IdentityContext, type SandboxClient, type SandboxUser } from './identity/directory';
import { ephemeralSigningKey, persistentSigningKey, type SigningKey } from './identity/signing-key';
import { buildNewRow } from './model/rows';
import { SandboxDatabase } from './persistence';
import { RequestLog } from './request-log';
import { PRIMARY_PROFILE, primaryClientId, type OrganizationProfile } from './profiles/organization-profile';
import { OrgStore } from './store';
import { Throttle } from './throttle';
import { toDateOnly } from './util/dates';
import { newGuid } from './util/guid';
import { MAX_BULK_TABLE_ROWS } from './util/limits';

/** Rows generated per synchronous step of a bulk insert (about a millisecond's work). */
const BULK_CHUNK = 100;

export interface CoreOptions {
  /** 'memory' (default): a fresh seeded org; { dir }: persisted in `<dir>/sandbox.sqlite` + signing key */
  storage?: 'memory' | { dir: string };
  config?: Partial<Omit<SandboxConfig, 'limits'>> & { limits?: Partial<SandboxConfig['limits']> };
  /** start with an empty organization instead of the seed data */
  empty?: boolean;
  logCapacity?: number;
  /**
   * Redirect URIs registered for the sandbox client besides the app's own callback at the request's
   * origin (`<origin>/api/accounts/oauth/callback`), e.g. a standalone sandbox's `--redirect-uri`.
   */
  redirectUris?: readonly string[];
  /** Which organization this is (schema, seed, tenant, directory); default the first one. */
  profile?: OrganizationProfile;
  /**
   * The signing key of another sandbox this one shares (the second organization uses the first's:
   * one Microsoft identity platform signs every environment's tokens, so a token of the other
   * organization fails on its audience, as in Dataverse, not on its signature).
   */
  signingKey?: Promise<SigningKey>;
}

export class SandboxCore implements IdentityContext {
  store: OrgStore;
  readonly grants: GrantStore;
  readonly config: SandboxConfig;
  readonly faults = new Faults();
  readonly log: RequestLog;
  readonly throttle = new Throttle();
  readonly profile: OrganizationProfile;
  readonly users: SandboxUser[];
  readonly clients: SandboxClient[];
  readonly tenantId: string;
  readonly ready: Promise<void>;
  private signingKey: SigningKey | null = null;
  private readonly extraRedirectUris: readonly string[];
  private readonly db: SandboxDatabase | null;
  /** The database other organizations of the same sandbox share. */
  get database(): SandboxDatabase | null {
    return this.db;
  }

  /**
   * One organization. `shared` (the handler's many-tenant set-up) passes the database and signing
   * key every organization uses; otherwise the core opens its own from `storage`.
   */
  constructor(opts: CoreOptions = {}, shared?: { tenantId: string; db: SandboxDatabase | null; key: Promise<SigningKey> }) {
    this.profile = opts.profile ?? PRIMARY_PROFILE;
    this.users = this.profile.users;
    this.clients = this.profile.clients;
    this.tenantId = shared?.tenantId ?? this.profile.tenantId;
    const base = defaultConfig();
    const { limits, ...rest } = opts.config ?? {};
    this.config = { ...base, ...rest, limits: { ...base.limits, ...limits } };
    this.log = new RequestLog(opts.logCapacity);
    this.extraRedirectUris = opts.redirectUris ?? [];
    const storage = opts.storage ?? 'memory';
    this.db = shared ? shared.db : storage === 'memory' ? null : new SandboxDatabase(storage.dir);
    // A legacy org.json snapshot was the first organization's (before there were others).
    const saved = this.db?.load(this.tenantId, this.profile === PRIMARY_PROFILE ? PRIMARY_PROFILE.tenantId : undefined) ?? null;
    this.store = new OrgStore(saved?.org ?? (opts.empty ? undefined : this.profile.seed()), this.profile.schema);
    this.grants = new GrantStore(saved?.grants, { refreshLifetimeMs: () => this.config.refreshTokenLifetimeSeconds * 1000 });
    // A new organization, or one imported from a legacy snapshot, is written whole once; after that only changes.
    const imported = saved !== null && !this.db?.has(this.tenantId);
    this.wirePersistence(saved === null || imported);
    if (imported) this.db?.grantsChanged(this.tenantId, new Map(this.grants.entries()));
    const keyPromise = shared
      ? shared.key
      : opts.signingKey
        ? opts.signingKey
        : storage === 'memory'
          ? ephemeralSigningKey()
          : persistentSigningKey(join(storage.dir, 'signing-key.json'));
    this.ready = keyPromise.then((k) => {
      this.signingKey = k;
    });
  }

  private wirePersistence(fresh: boolean): void {
    this.store.tombstoneRetentionMs = () => this.config.changeTrackingRetentionDays * 86_400_000;
    this.db?.track(this.tenantId, this.store, fresh);
    this.grants.onChange = this.db ? (changes) => this.db?.grantsChanged(this.tenantId, changes) : null;
  }

  redirectUris(origin: string): readonly string[] {
    return [`${origin}${APP_CALLBACK_PATH}`, ...this.extraRedirectUris];
  }

  key = (): SigningKey => {
    if (!this.signingKey) throw new Error('sandbox signing key not loaded yet');
    return this.signingKey;
  };

  reset(empty = false): void {
    this.store = new OrgStore(empty ? undefined : this.profile.seed(), this.profile.schema);
    this.wirePersistence(true);
    this.faults.clear();
    this.log.clear();
    this.throttle.reset();
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of this.store.schema.tables.keys()) out[name] = this.store.count(name);
    return out;
  }

  /**
   * Generates `count` rows (benchmarks: paging through 100,000 rows), in chunks of a few
   * milliseconds with a turn of the event loop between them, so a large bulk never stalls other
   * requests. Bounded: at most MAX_BULK_TABLE_ROWS rows in the table.
   */
  async bulk(table: string, count: number): Promise<number | 'unknown' | 'full'> {
    const info = this.store.schema.tables.get(table);
    if (!info) return 'unknown';
    if (this.store.count(table) + count > MAX_BULK_TABLE_ROWS) return 'full';
    const actor = this.profile.actor;
    const now = Date.now();
    const pn = info.def.primaryName;
    const nameCol = info.columns.get(pn);
    const store = this.store;
    for (let start = 0; start < count; start += BULK_CHUNK) {
      if (start > 0) await new Promise<void>((r) => setImmediate(r));
      // A reset between chunks replaced the store: stop writing into the old one.
      if (this.store !== store) return start;
      const end = Math.min(count, start + BULK_CHUNK);
      store.invalidateOrder(table);
      for (let i = start; i < end; i++) {
        const id = newGuid();
        const values: Record<string, unknown> = {};
        if (nameCol?.validForCreate) values[pn] = `${info.def.displayName} ${i + 1}`;
        if (table === 'contact' || table === 'lead') values.lastname = `Bulk ${i + 1}`;
        if (table === 'lead') values.subject = `Bulk lead ${i + 1}`;
        if (table === 'product') values.productnumber = `BULK-${id.slice(0, 8)}`;
        if (table === 'account') values.description = `Generated on ${toDateOnly(now)}`;
        store.put(table, id, buildNewRow(info, id, values, actor, store.nextVersion(), now));
      }
    }
    return count;
  }

  info(service: string): Record<string, unknown> {
    return {
      serviceUrl: service,
      webApi: `${service}/api/data/v9.2/`,
      authority: `${service}/login/${this.tenantId === this.profile.tenantId ? 'organizations' : this.tenantId}`,
      tenantId: this.tenantId,
      organizationId: this.profile.organizationId,
      clientId: primaryClientId(this.profile),
      users: this.users.map((u) => ({ username: u.username, name: u.name, objectId: u.objectId })),
      counts: this.counts(),
      config: this.config,
    };
  }

  /** Write everything pending now (shutdown, tests). */
  flush(): void {
    this.db?.flush();
  }
}
