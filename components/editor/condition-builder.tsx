'use client';

import { Icon } from '@/components/ui/icon';
import type { SourceGroup } from '@/lib/editor/mapping-sources';
import { ValueField } from './value-field';

/**
 * The condition builder, for the two shapes the flow document has: the If step's
 * `{ match, rules: [{ left, operator, right }] }` (both sides are values, mappable) and the Dynamics
 * actions' `{ match, conditions: [{ field, operator, value }] }` (a column of the table, an operator
 * its type allows, a value — a labelled list for choices).
 */
export interface ColumnOption {
  column: string;
  label: string;
  type: string;
  operators: readonly string[];
  choices?: { value: string | number; label: string }[];
}

const OPERATOR_LABELS: Record<string, string> = {
  eq: 'is',
  ne: 'is not',
  gt: 'is greater than',
  ge: 'is at least',
  lt: 'is less than',
  le: 'is at most',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  begins_with: 'begins with',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  null: 'is empty',
  not_null: 'is not empty',
  in: 'is one of',
  not_in: 'is none of',
};
const NO_VALUE = new Set(['is_empty', 'is_not_empty', 'null', 'not_null']);
const label = (op: string) => OPERATOR_LABELS[op] ?? op.replaceAll('_', ' ');

type Group = { match?: 'all' | 'any'; [rows: string]: unknown };

export function ConditionBuilder({
  value,
  onChange,
  shape,
  operators,
  columns,
  sources,
  legend,
}: {
  value: unknown;
  onChange(value: unknown): void;
  shape: 'rules' | 'conditions';
  /** Operators of the If step (the Dynamics shape takes them per column). */
  operators?: readonly string[];
  columns?: readonly ColumnOption[];
  sources: readonly SourceGroup[];
  legend: string;
}) {
  const group = (typeof value === 'object' && value !== null ? value : {}) as Group;
  const rows = (Array.isArray(group[shape]) ? group[shape] : []) as Record<string, unknown>[];
  const match = group.match ?? 'all';
  const set = (next: Record<string, unknown>[], m = match) => onChange(next.length ? { match: m, [shape]: next } : undefined);
  const update = (i: number, patch: Record<string, unknown>) => set(rows.map((r, k) => (k === i ? clean({ ...r, ...patch }) : r)));

  return (
    <fieldset className="mb-4 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
      <legend className="px-1 text-sm font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      {rows.length > 1 && (
        <label className="mb-2 flex items-center gap-2 text-xs text-slate-600">
          Match
          <select className="field-input w-auto py-1 text-xs" value={match} onChange={(e) => set(rows, e.target.value as 'all' | 'any')}>
            <option value="all">all of these</option>
            <option value="any">any of these</option>
          </select>
        </label>
      )}
      {rows.map((row, i) => {
        if (shape === 'conditions') {
          const col = columns?.find((c) => c.column === row.field);
          const ops = col?.operators ?? [];
          return (
            <div key={i} className="mb-2 grid grid-cols-[1fr_auto] gap-2 rounded-md bg-slate-50 p-2 dark:bg-slate-800/50">
              <div className="space-y-2">
                <select
                  aria-label={`Condition ${i + 1}: column`}
                  className="field-input py-1 text-xs"
                  value={typeof row.field === 'string' ? row.field : ''}
                  onChange={(e) =>
                    update(i, { field: e.target.value, operator: columns?.find((c) => c.column === e.target.value)?.operators[0] })
                  }
                >
                  <option value="">Column…</option>
                  {columns?.map((c) => (
                    <option key={c.column} value={c.column}>
                      {c.label}
                    </option>
                  ))}
                </select>
                <select
                  aria-label={`Condition ${i + 1}: operator`}
                  className="field-input py-1 text-xs"
                  value={typeof row.operator === 'string' ? row.operator : ''}
                  onChange={(e) => update(i, { operator: e.target.value, ...(NO_VALUE.has(e.target.value) ? { value: undefined } : {}) })}
                >
                  {ops.map((op) => (
                    <option key={op} value={op}>
                      {label(op)}
                    </option>
                  ))}
                </select>
                {!NO_VALUE.has(String(row.operator)) && (
                  <ValueField
                    field={{
                      name: `c${i}`,
                      label: 'Value',
                      widget: 'text',
                      type: col?.type ?? 'string',
                      required: true,
                      choices: col?.choices,
                    }}
                    value={row.value}
                    onChange={(v) => update(i, { value: v })}
                    sources={sources}
                    problems={[]}
                  />
                )}
              </div>
              <RemoveButton onClick={() => set(rows.filter((_, k) => k !== i))} index={i} />
            </div>
          );
        }
        return (
          <div key={i} className="mb-2 grid grid-cols-[1fr_auto] gap-2 rounded-md bg-slate-50 p-2 dark:bg-slate-800/50">
            <div>
              <ValueField
                field={{ name: `l${i}`, label: 'Value', widget: 'text', type: 'any', required: true }}
                value={row.left}
                onChange={(v) => update(i, { left: v })}
                sources={sources}
                problems={[]}
              />
              <select
                aria-label={`Condition ${i + 1}: operator`}
                className="field-input mb-3 py-1 text-xs"
                value={typeof row.operator === 'string' ? row.operator : 'eq'}
                onChange={(e) => update(i, { operator: e.target.value, ...(NO_VALUE.has(e.target.value) ? { right: undefined } : {}) })}
              >
                {(operators ?? []).map((op) => (
                  <option key={op} value={op}>
                    {label(op)}
                  </option>
                ))}
              </select>
              {!NO_VALUE.has(String(row.operator)) && (
                <ValueField
                  field={{ name: `r${i}`, label: 'Compared with', widget: 'text', type: 'any', required: true }}
                  value={row.right}
                  onChange={(v) => update(i, { right: v })}
                  sources={sources}
                  problems={[]}
                />
              )}
            </div>
            <RemoveButton onClick={() => set(rows.filter((_, k) => k !== i))} index={i} />
          </div>
        );
      })}
      <button
        type="button"
        className="btn-secondary py-1 text-xs"
        onClick={() =>
          set([
            ...rows,
            shape === 'conditions'
              ? { field: columns?.[0]?.column ?? '', operator: columns?.[0]?.operators[0] ?? 'eq' }
              : { left: '', operator: operators?.[0] ?? 'eq', right: '' },
          ])
        }
      >
        <Icon name="plus" className="h-3.5 w-3.5" />
        Add a condition
      </button>
    </fieldset>
  );
}

function RemoveButton({ onClick, index }: { onClick(): void; index: number }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="self-start rounded p-1 text-slate-400 hover:bg-slate-200 hover:text-red-600"
      aria-label={`Remove condition ${index + 1}`}
    >
      <Icon name="trash" className="h-4 w-4" />
    </button>
  );
}

const clean = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
