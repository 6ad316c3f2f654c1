'use client';

import { Popover } from 'radix-ui';
import { useId, useMemo, useState } from 'react';
import { Icon } from '@/components/ui/icon';
import type { FormField } from '@/lib/forms/describe-form';
import { describeMapping, type SourceGroup } from '@/lib/editor/mapping-sources';
import { ExpressionEditor } from './expression-editor';
import { LookupInput } from './lookup-input';
import { usePreviewSample } from './preview-sample-context';

/**
 * One input of a step: a literal typed by the person (text, number, a labelled choice) or a value
 * mapped from an earlier step, shown as a readable chip ("New lead › Last name") rather than syntax.
 * The map button opens the source picker; "Write an expression" switches to JSONata.
 */
export function ValueField({
  field,
  value,
  onChange,
  sources,
  problems,
  accountId,
}: {
  field: Pick<FormField, 'name' | 'label' | 'description' | 'widget' | 'type' | 'required' | 'choices' | 'placeholder' | 'lookupTargets'>;
  value: unknown;
  onChange(value: unknown): void;
  sources: readonly SourceGroup[];
  problems: readonly string[];
  /** The step's account: lookups search its organization's records. */
  accountId?: string;
}) {
  const id = useId();
  const sample = usePreviewSample();
  const mapping = describeMapping(value, sources);
  const [editing, setEditing] = useState(false);
  const isExpr = typeof value === 'object' && value !== null && 'expr' in value;
  const described = problems.length ? `${id}-problems` : field.description ? `${id}-help` : undefined;
  const references = useMemo(
    () => sources.flatMap((g) => g.fields.map((f) => ({ path: f.path, label: f.label, ...(f.type ? { type: f.type } : {}) }))),
    [sources],
  );

  return (
    <div className="mb-4" data-field={field.name}>
      <div className="mb-1 flex items-center justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
          {field.label}
          {field.required && (
            <span className="ml-0.5 text-red-600" aria-hidden="true">
              *
            </span>
          )}
          {field.required && <span className="sr-only"> (required)</span>}
        </label>
        <SourcePicker
          sources={sources}
          onPick={(path) => {
            onChange({ expr: path });
            setEditing(false);
          }}
          onExpression={() => {
            onChange({ expr: typeof value === 'string' ? JSON.stringify(value) : isExpr ? (value as { expr: string }).expr : '' });
            setEditing(true);
          }}
          label={field.label}
        />
      </div>
      {mapping && !(mapping.kind === 'expression' || editing) ? (
        <div className="flex items-center gap-2">
          <span
            id={id}
            className="inline-flex max-w-full items-center gap-1.5 truncate rounded-full bg-brand-50 px-2.5 py-1 text-xs font-medium text-brand-700 dark:bg-slate-800 dark:text-brand-100"
            data-testid="mapping-chip"
          >
            <Icon name="bolt" className="h-3 w-3" />
            {mapping.text}
          </span>
          <button type="button" className="text-xs text-slate-500 underline" onClick={() => onChange(undefined)}>
            Clear
          </button>
        </div>
      ) : isExpr ? (
        <div data-testid="expression-field">
          <ExpressionEditor
            id={id}
            value={(value as { expr: string }).expr}
            onChange={(text) => onChange({ expr: text })}
            references={references}
            label={`${field.label} (expression)`}
            {...(sample ? { sample } : {})}
          />
          <button type="button" className="mt-1 text-xs text-slate-500 underline" onClick={() => onChange(undefined)}>
            Use a fixed value instead
          </button>
        </div>
      ) : field.lookupTargets?.length ? (
        <LookupInput id={id} field={field} value={value} onChange={onChange} accountId={accountId} describedBy={described} />
      ) : (
        <LiteralInput id={id} field={field} value={value} onChange={onChange} describedBy={described} />
      )}
      {field.description && !problems.length && (
        <p id={`${id}-help`} className="mt-1 text-xs text-slate-500">
          {field.description}
        </p>
      )}
      {problems.length > 0 && (
        <ul id={`${id}-problems`} className="mt-1 space-y-0.5 text-xs text-red-700 dark:text-red-300" data-testid="field-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function LiteralInput({
  id,
  field,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  field: Pick<FormField, 'widget' | 'type' | 'choices' | 'placeholder' | 'label'>;
  value: unknown;
  onChange(value: unknown): void;
  describedBy?: string;
}) {
  if (field.choices?.length) {
    const numeric = field.choices.every((c) => typeof c.value === 'number');
    return (
      <select
        id={id}
        aria-describedby={describedBy}
        className="field-input"
        value={value === undefined || value === null ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : numeric ? Number(e.target.value) : e.target.value)}
      >
        <option value="">Choose…</option>
        {field.choices.map((c) => (
          <option key={String(c.value)} value={String(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  if (field.type === 'boolean') {
    return (
      <select
        id={id}
        aria-describedby={describedBy}
        className="field-input"
        value={value === true ? 'true' : value === false ? 'false' : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}
      >
        <option value="">Choose…</option>
        <option value="true">Yes</option>
        <option value="false">No</option>
      </select>
    );
  }
  const numeric =
    field.type === 'integer' || field.type === 'number' || field.widget === 'number' || field.type === 'decimal' || field.type === 'money';
  const structured = field.type === 'any' || field.type === 'object' || field.type === 'array';
  if (structured) {
    return (
      <JsonInput
        id={id}
        value={value}
        onChange={onChange}
        describedBy={describedBy}
        placeholder={field.placeholder ?? 'Text, or JSON such as {"a": 1}'}
      />
    );
  }
  return (
    <input
      id={id}
      aria-describedby={describedBy}
      className="field-input"
      type={numeric ? 'number' : field.widget === 'date' ? 'date' : 'text'}
      inputMode={numeric ? 'decimal' : undefined}
      placeholder={field.placeholder}
      value={value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)}
      onChange={(e) => {
        const text = e.target.value;
        if (text === '') onChange(undefined);
        else if (numeric) onChange(Number.isFinite(Number(text)) ? Number(text) : text);
        else onChange(text);
      }}
    />
  );
}

/** Free-form data: plain text stays text; text that parses as JSON (an object, a list, a number) is that value. */
function JsonInput({
  id,
  value,
  onChange,
  describedBy,
  placeholder,
}: {
  id: string;
  value: unknown;
  onChange(value: unknown): void;
  describedBy?: string;
  placeholder: string;
}) {
  const shown = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const [text, setText] = useState(shown);
  const [lastShown, setLastShown] = useState(shown);
  if (shown !== lastShown) {
    setLastShown(shown);
    setText(shown);
  }
  return (
    <textarea
      id={id}
      aria-describedby={describedBy}
      className="field-input font-mono text-xs"
      rows={text.includes('\n') ? Math.min(10, text.split('\n').length + 1) : 2}
      placeholder={placeholder}
      value={text}
      spellCheck={false}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        if (next.trim() === '') return onChange(undefined);
        const trimmed = next.trim();
        if (/^[[{"\d-]|^(true|false|null)$/.test(trimmed)) {
          try {
            const parsed = JSON.parse(trimmed) as unknown;
            // An object shaped like an input form would be read as one: keep it as data.
            const special =
              typeof parsed === 'object' &&
              parsed !== null &&
              !Array.isArray(parsed) &&
              ['expr', 'ref', 'literal'].some((k) => k in parsed);
            return onChange(special ? { literal: parsed } : parsed);
          } catch {
            // Not JSON (yet): keep it as text.
          }
        }
        onChange(next);
      }}
    />
  );
}

/** The map button: every upstream source by step, and a way to write an expression instead. */
function SourcePicker({
  sources,
  onPick,
  onExpression,
  label,
}: {
  sources: readonly SourceGroup[];
  onPick(path: string): void;
  onExpression(): void;
  label: string;
}) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const query = q.trim().toLowerCase();
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button
          type="button"
          className="inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50 dark:text-brand-100 dark:hover:bg-slate-800"
          aria-label={`Map a value into ${label}`}
        >
          <Icon name="bolt" className="h-3 w-3" />
          Map
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={4}
          className="z-50 w-80 rounded-lg border border-slate-200 bg-white p-2 shadow-xl dark:border-slate-700 dark:bg-slate-900"
          data-testid="mapping-picker"
        >
          <input
            autoFocus
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Find a value from earlier steps"
            aria-label="Find a value from earlier steps"
            className="field-input mb-2 text-xs"
          />
          <div className="max-h-72 overflow-y-auto" role="tree" aria-label="Values from earlier steps">
            {sources.length === 0 && <p className="p-2 text-xs text-slate-500">Connect this step after others to use their values.</p>}
            {sources.map((g) => {
              const fields = g.fields.filter(
                (f) => !query || f.label.toLowerCase().includes(query) || f.path.toLowerCase().includes(query),
              );
              if (!fields.length) return null;
              return (
                <div key={g.nodeId} role="group" aria-label={g.title} className="mb-2">
                  <p className="px-2 py-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500">{g.title}</p>
                  {fields.map((f) => (
                    <button
                      key={f.path}
                      type="button"
                      role="treeitem"
                      aria-selected={false}
                      onClick={() => {
                        onPick(f.path);
                        setOpen(false);
                      }}
                      className="flex w-full items-center justify-between gap-2 rounded px-2 py-1 text-left text-xs hover:bg-brand-50 dark:hover:bg-slate-800"
                    >
                      <span className="truncate">{f.label.split(' › ').slice(1).join(' › ') || f.label}</span>
                      {f.type && <span className="shrink-0 text-[10px] text-slate-400">{f.type}</span>}
                    </button>
                  ))}
                </div>
              );
            })}
          </div>
          <button
            type="button"
            className="mt-1 w-full rounded border-t border-slate-100 px-2 pt-2 text-left text-xs text-slate-600 hover:text-brand-700 dark:border-slate-800 dark:text-slate-300"
            onClick={() => {
              onExpression();
              setOpen(false);
            }}
          >
            Write an expression (JSONata)…
          </button>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
