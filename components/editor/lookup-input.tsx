'use client';

import { useQuery } from '@tanstack/react-query';
import { Command } from 'cmdk';
import { Popover } from 'radix-ui';
import { useEffect, useState } from 'react';
import { apiFetch } from '@/lib/browser/api-fetch';
import type { FormField } from '@/lib/forms/describe-form';

interface FoundRecord {
  id: string;
  name: string | null;
  modifiedOn: string | null;
}

type Target = NonNullable<FormField['lookupTargets']>[number];

/** What a lookup holds: a bare id when it can point to one table only, else `{ table, id }` (connector/form/column-schema.ts). */
function readValue(value: unknown, targets: readonly Target[]): { table?: string; id?: string } {
  if (typeof value === 'string') return { table: targets[0]?.table, id: value };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as { table?: unknown; id?: unknown };
    return { ...(typeof v.table === 'string' ? { table: v.table } : {}), ...(typeof v.id === 'string' ? { id: v.id } : {}) };
  }
  return { table: targets[0]?.table };
}

const recordsUrl = (accountId: string, table: string, search: string) =>
  `/api/accounts/${encodeURIComponent(accountId)}/records?table=${encodeURIComponent(table)}&top=10${search ? `&search=${encodeURIComponent(search)}` : ''}`;

/**
 * A lookup column: the table it points to (when it can point to several) and a record of that table
 * found by searching its names through the step's account — or its id typed in. Shows the chosen
 * record's name, not its GUID.
 */
export function LookupInput({
  id,
  field,
  value,
  onChange,
  accountId,
  describedBy,
}: {
  id: string;
  field: Pick<FormField, 'label' | 'lookupTargets'>;
  value: unknown;
  onChange(value: unknown): void;
  accountId: string | undefined;
  describedBy?: string;
}) {
  const targets = field.lookupTargets ?? [];
  const current = readValue(value, targets);
  const table = current.table ?? targets[0]?.table;
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);

  const enabled = accountId !== undefined && table !== undefined;
  const found = useQuery({
    queryKey: ['lookup-records', accountId, table, debounced],
    queryFn: () => apiFetch<{ records: FoundRecord[] }>(recordsUrl(accountId!, table!, debounced)),
    enabled: enabled && open,
    staleTime: 15_000,
  });
  // The chosen record's name, found by its id.
  const chosen = useQuery({
    queryKey: ['lookup-record', accountId, table, current.id],
    queryFn: () => apiFetch<{ records: FoundRecord[] }>(recordsUrl(accountId!, table!, current.id!)),
    enabled: enabled && current.id !== undefined,
    staleTime: 60_000,
  });
  const chosenName = chosen.data?.records[0]?.name;

  const set = (nextTable: string | undefined, nextId: string | undefined) => {
    if (!nextId) return onChange(undefined);
    onChange(targets.length <= 1 ? nextId : { table: nextTable, id: nextId });
  };
  const tableName = targets.find((t) => t.table === table)?.displayName ?? table ?? 'record';

  return (
    <div className="space-y-1.5">
      {targets.length > 1 && (
        <select
          aria-label={`${field.label}: table`}
          className="field-input"
          value={table ?? ''}
          onChange={(e) => set(e.target.value, undefined)}
        >
          {targets.map((t) => (
            <option key={t.table} value={t.table}>
              {t.displayName}
            </option>
          ))}
        </select>
      )}
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger asChild>
          <button
            id={id}
            type="button"
            aria-describedby={describedBy}
            className="field-input flex items-center justify-between text-left"
            disabled={!enabled}
            data-testid="lookup-trigger"
          >
            <span className={current.id ? 'truncate' : 'truncate text-slate-400'}>
              {current.id ? (chosenName ?? current.id) : enabled ? `Find a ${tableName.toLowerCase()}…` : 'Choose an account first'}
            </span>
            <span aria-hidden="true" className="text-slate-400">
              ▾
            </span>
          </button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            align="start"
            sideOffset={4}
            className="z-50 w-80 rounded-lg border border-slate-200 bg-white shadow-lg dark:border-slate-700 dark:bg-slate-900"
          >
            <Command shouldFilter={false} label={`Find a ${tableName.toLowerCase()} for ${field.label}`}>
              <Command.Input
                value={search}
                onValueChange={setSearch}
                placeholder={`Search ${tableName.toLowerCase()} names, or paste an id`}
                className="w-full border-b border-slate-200 bg-transparent px-3 py-2 text-sm outline-none dark:border-slate-700"
              />
              <Command.List className="max-h-64 overflow-y-auto p-1">
                {found.isLoading && <Command.Loading>Searching…</Command.Loading>}
                {found.error instanceof Error && <p className="p-2 text-sm text-red-700">{found.error.message}</p>}
                <Command.Empty className="p-2 text-sm text-slate-500">No {tableName.toLowerCase()} matches.</Command.Empty>
                {(found.data?.records ?? []).map((r) => (
                  <Command.Item
                    key={r.id}
                    value={r.id}
                    onSelect={() => {
                      set(table, r.id);
                      setOpen(false);
                      setSearch('');
                    }}
                    className="flex cursor-pointer items-baseline justify-between gap-2 rounded px-2 py-1.5 text-sm data-[selected=true]:bg-brand-50 dark:data-[selected=true]:bg-slate-800"
                  >
                    <span className="truncate">{r.name ?? r.id}</span>
                    <span className="shrink-0 font-mono text-[10px] text-slate-500">{r.id.slice(0, 8)}</span>
                  </Command.Item>
                ))}
              </Command.List>
            </Command>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      {current.id && (
        <button type="button" className="text-xs text-slate-500 underline" onClick={() => onChange(undefined)}>
          Clear
        </button>
      )}
    </div>
  );
}
