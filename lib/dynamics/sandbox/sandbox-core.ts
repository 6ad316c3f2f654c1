/**
 * The sandbox's state: organization store, identity grants and signing key, runtime config,
 * faults, request log and throttle — plus reset, bulk generation and persistence wiring.
 */
import { join } from 'node:path';
import { defaultConfig, type SandboxConfig } from './context';
import { Faults } from './faults';
import { GrantStore } from './identity/grants';
import {
  APP_CALLBACK_PATH,
  builtInClients,
  builtInUsers,
  type IdentityContext,
  type SandboxClient,
  type SandboxUser,
} from './identity/directory';
import { ephemeralSigningKey, persistentSigningKey, type SigningKey } from './identity/signing-key';
import { buildNewRow } from './model/rows';
import { getSchema } from './model/schema';
import { SnapshotFile } from './persistence';
import { RequestLog } from './request-log';
import { freshSeed } from './seed/generate';
import {
  SALES_USER,
  SANDBOX_BUSINESS_UNIT_ID,
  SANDBOX_CLIENT,
  SANDBOX_CURRENCY_ID,
  SANDBOX_ORG_ID,
  SANDBOX_TENANT_ID,
} from './seed/constants';
import { OrgStore } from './store';
import { Throttle } from './throttle';
import { toDateOnly } from './util/dates';
import { newGuid } from './util/guid';

export interface CoreOptions {
  /** 'memory' (default): a fresh seeded org; { dir }: persisted JSON snapshot + signing key */
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
}

export class SandboxCore implements IdentityContext {
  store: OrgStore;
  readonly grants: GrantStore;
  readonly config: SandboxConfig;
  readonly faults = new Faults();
  readonly log: RequestLog;
  readonly throttle = new Throttle();
  readonly users: SandboxUser[] = builtInUsers;
  readonly clients: SandboxClient[] = builtInClients;
  readonly tenantId = SANDBOX_TENANT_ID;
  readonly ready: Promise<void>;
  private signingKey: SigningKey | null = null;
  private readonly extraRedirectUris: readonly string[];
  private readonly snapshot: SnapshotFile | null;

  constructor(opts: CoreOptions = {}) {
    const base = defaultConfig();
    const { limits, ...rest } = opts.config ?? {};
    this.config = { ...base, ...rest, limits: { ...base.limits, ...limits } };
    this.log = new RequestLog(opts.logCapacity);
    this.extraRedirectUris = opts.redirectUris ?? [];
    const storage = opts.storage ?? 'memory';
    this.snapshot =
      storage === 'memory' ? null : new SnapshotFile(storage.dir, () => ({ org: this.store.serialize(), grants: this.grants.serialize() }));
    const saved = this.snapshot?.load() ?? null;
    this.store = new OrgStore(saved?.org ?? (opts.empty ? undefined : freshSeed()));
    this.grants = new GrantStore(saved?.grants);
    this.wirePersistence();
    if (this.snapshot && !saved) this.snapshot.schedule();
    const keyPromise = storage === 'memory' ? ephemeralSigningKey() : persistentSigningKey(join(storage.dir, 'signing-key.json'));
    this.ready = keyPromise.then((k) => {
      this.signingKey = k;
    });
  }

  private wirePersistence(): void {
    const schedule = this.snapshot ? () => this.snapshot?.schedule() : null;
    this.store.onChange = schedule;
    this.grants.onChange = schedule;
  }

  redirectUris(origin: string): readonly string[] {
    return [`${origin}${APP_CALLBACK_PATH}`, ...this.extraRedirectUris];
  }

  key = (): SigningKey => {
    if (!this.signingKey) throw new Error('sandbox signing key not loaded yet');
    return this.signingKey;
  };

  reset(empty = false): void {
    this.store = new OrgStore(empty ? undefined : freshSeed());
    this.wirePersistence();
    this.faults.clear();
    this.log.clear();
    this.throttle.reset();
    this.snapshot?.schedule();
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of getSchema().tables.keys()) out[name] = this.store.count(name);
    return out;
  }

  /** Generates `count` rows quickly (benchmarks: paging through 100,000 rows). */
  bulk(table: string, count: number): number {
    const info = getSchema().tables.get(table);
    if (!info) return -1;
    const actor = { userId: SALES_USER.systemuserid, businessUnitId: SANDBOX_BUSINESS_UNIT_ID, currencyId: SANDBOX_CURRENCY_ID };
    const now = Date.now();
    const pn = info.def.primaryName;
    const nameCol = info.columns.get(pn);
    for (let i = 0; i < count; i++) {
      const id = newGuid();
      const values: Record<string, unknown> = {};
      if (nameCol?.validForCreate) values[pn] = `${info.def.displayName} ${i + 1}`;
      if (table === 'contact' || table === 'lead') values.lastname = `Bulk ${i + 1}`;
      if (table === 'lead') values.subject = `Bulk lead ${i + 1}`;
      if (table === 'product') values.productnumber = `BULK-${id.slice(0, 8)}`;
      if (table === 'account') values.description = `Generated on ${toDateOnly(now)}`;
      this.store.put(table, id, buildNewRow(info, id, values, actor, this.store.nextVersion(), now));
    }
    return count;
  }

  info(service: string): Record<string, unknown> {
    return {
      serviceUrl: service,
      webApi: `${service}/api/data/v9.2/`,
      authority: `${service}/login/organizations`,
      tenantId: this.tenantId,
      organizationId: SANDBOX_ORG_ID,
      clientId: SANDBOX_CLIENT.clientId,
      users: this.users.map((u) => ({ username: u.username, name: u.name, objectId: u.objectId })),
      counts: this.counts(),
      config: this.config,
    };
  }

  flush(): void {
    this.snapshot?.flush();
  }
}
