'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Icon, type IconName } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { AccountRow } from './account-row';
import type { CatalogApplication, CatalogItem } from './catalog-types';
import { connectorKeys } from './catalog-keys';
import { fetchDiscoveredTables } from './connectors-adapter';

const appIcon: Record<string, IconName> = { dynamics: 'bolt', scheduler: 'clock', http: 'globe', api: 'play' };

export function ApplicationCard({
  app,
  accounts,
  expanded,
  onToggle,
  highlightId,
  onConnect,
  onUpdateCredentials,
  onRemove,
}: {
  app: CatalogApplication;
  accounts?: AccountView[];
  expanded: boolean;
  onToggle: () => void;
  highlightId?: string | null;
  onConnect?: (opener: HTMLElement) => void;
  onUpdateCredentials?: (a: AccountView, opener: HTMLElement | null) => void;
  onRemove?: (a: AccountView, opener: HTMLElement | null) => void;
}) {
  const [showMoreEvents, setShowMoreEvents] = useState(false);
  const regionId = `app-${app.id}-details`;
  const connectable = app.kind === 'application';

  return (
    <section className="card overflow-hidden" aria-labelledby={`app-${app.id}-title`} data-testid={`app-card-${app.id}`}>
      <div className="flex flex-wrap items-center gap-4 p-5">
        <span className="flex h-11 w-11 shrink-0 items-center justify-center rounded-lg bg-brand-50 text-brand-600 dark:bg-slate-800 dark:text-brand-500">
          <Icon name={appIcon[app.id] ?? 'catalog'} className="h-6 w-6" />
        </span>
        <div className="min-w-0 flex-1">
          <h2 id={`app-${app.id}-title`} className="font-semibold">
            {app.title}
          </h2>
          <p className="text-sm text-slate-500 dark:text-slate-400">{app.description}</p>
          {connectable && accounts && (
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              {accounts.length === 0 ? 'No accounts connected' : `${accounts.length} account${accounts.length === 1 ? '' : 's'} connected`}
            </p>
          )}
        </div>
        {connectable && onConnect && (
          <button type="button" className="btn-primary" onClick={(event) => onConnect(event.currentTarget)}>
            <Icon name="plus" className="h-4 w-4" />
            Connect
          </button>
        )}
        <button type="button" className="btn-secondary" aria-expanded={expanded} aria-controls={regionId} onClick={onToggle}>
          <Icon name="chevron" className={`h-4 w-4 transition-transform ${expanded ? 'rotate-90' : ''}`} />
          {expanded ? 'Hide details' : 'Show details'}
          <span className="sr-only"> of {app.title}</span>
        </button>
      </div>

      {expanded && (
        <div id={regionId} className="space-y-6 border-t border-slate-200 bg-slate-50/60 p-5 dark:border-slate-800 dark:bg-slate-950/40">
          {connectable && accounts && (
            <div>
              <h3 className="text-sm font-semibold">Accounts</h3>
              {accounts.length === 0 ? (
                <p className="mt-2 text-sm text-slate-500 dark:text-slate-400">
                  Connect an account to use this application in flows. You can connect several and pick one per flow.
                </p>
              ) : (
                <ul
                  className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
                  aria-label={`${app.title} accounts`}
                >
                  {accounts.map((account) => (
                    <AccountRow
                      key={account.id}
                      account={account}
                      highlighted={account.id === highlightId}
                      onUpdateCredentials={(opener) => onUpdateCredentials?.(account, opener)}
                      onRemove={(opener) => onRemove?.(account, opener)}
                    />
                  ))}
                </ul>
              )}
            </div>
          )}

          {(app.events.length > 0 || app.moreEvents.length > 0) && (
            <div>
              <h3 className="text-sm font-semibold">
                Events <span className="font-normal text-slate-500">— what can start a flow</span>
              </h3>
              <ItemList items={showMoreEvents ? [...app.events, ...app.moreEvents] : app.events} />
              {app.moreEvents.length > 0 && (
                <button
                  type="button"
                  className="mt-2 text-sm font-medium text-brand-600 hover:underline dark:text-brand-500"
                  onClick={() => setShowMoreEvents((v) => !v)}
                >
                  {showMoreEvents ? 'Show fewer events' : `Show more configurable events (${app.moreEvents.length})`}
                </button>
              )}
            </div>
          )}

          {app.actionGroups.length > 0 && (
            <div>
              <h3 className="text-sm font-semibold">
                Actions <span className="font-normal text-slate-500">— what a flow can do</span>
              </h3>
              <div className="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                {app.actionGroups.map((group) => (
                  <div
                    key={group.object}
                    className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
                  >
                    <h4 className="text-sm font-medium">{group.object}</h4>
                    <ul className="mt-1.5 space-y-0.5 text-sm text-slate-600 dark:text-slate-300">
                      {group.items.map((item) => (
                        <li key={item.id} title={item.description}>
                          {item.title}
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            </div>
          )}

          {connectable && accounts && accounts.length > 0 && <DiscoveredTables accounts={accounts} />}
        </div>
      )}
    </section>
  );
}

function ItemList({ items }: { items: CatalogItem[] }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-2">
      {items.map((item) => (
        <li
          key={item.id}
          title={item.description}
          className="rounded-full border border-slate-200 bg-white px-3 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
          {item.title}
        </li>
      ))}
    </ul>
  );
}

function DiscoveredTables({ accounts }: { accounts: AccountView[] }) {
  const [open, setOpen] = useState(false);
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? '');
  const [filter, setFilter] = useState('');
  const selected = accounts.find((a) => a.id === accountId) ?? accounts[0];
  const tables = useQuery({
    queryKey: connectorKeys.forAccount('dynamics', selected?.id ?? ''),
    queryFn: () => fetchDiscoveredTables(selected?.id ?? ''),
    enabled: open && Boolean(selected),
  });
  const visible = (tables.data ?? []).filter((t) => `${t.title} ${t.logicalName}`.toLowerCase().includes(filter.trim().toLowerCase()));

  if (!open) {
    return (
      <button type="button" className="btn-secondary" onClick={() => setOpen(true)}>
        Show more: tables discovered through your account
      </button>
    );
  }
  return (
    <div>
      <div className="flex flex-wrap items-end gap-3">
        <h3 className="mr-auto text-sm font-semibold">Tables discovered through an account</h3>
        {accounts.length > 1 && (
          <div>
            <label htmlFor="discover-account" className="field-label">
              Account
            </label>
            <select id="discover-account" className="field-input py-1" value={selected?.id} onChange={(e) => setAccountId(e.target.value)}>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div>
          <label htmlFor="discover-filter" className="field-label">
            Filter tables
          </label>
          <input
            id="discover-filter"
            className="field-input py-1"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="e.g. project"
          />
        </div>
      </div>
      {tables.isPending ? (
        <p className="mt-3 flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
          <Spinner /> Reading the organization&apos;s tables…
        </p>
      ) : tables.isError ? (
        <p className="mt-3 text-sm text-red-700 dark:text-red-300">
          {tables.error instanceof Error ? tables.error.message : 'Could not read the tables.'}
        </p>
      ) : (
        <ul className="mt-3 grid gap-2 sm:grid-cols-2" data-testid="discovered-tables">
          {visible.map((table) => (
            <li
              key={table.logicalName}
              className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
            >
              <p className="font-medium">
                {table.title} <span className="font-mono text-xs text-slate-500">{table.logicalName}</span>
              </p>
              <p className="mt-1 text-slate-600 dark:text-slate-300">{table.actions.map((a) => a.title).join(' · ')}</p>
            </li>
          ))}
          {visible.length === 0 && <li className="text-sm text-slate-500">No table matches.</li>}
        </ul>
      )}
    </div>
  );
}
