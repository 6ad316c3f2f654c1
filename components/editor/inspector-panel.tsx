'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import type { TableDetails } from '@/lib/dynamics/connector/account-catalog';
import { parseId } from '@/lib/dynamics/connector/ids';
import { describeForm, type FormField } from '@/lib/forms/describe-form';
import { choicesFor } from '@/lib/forms/choices-for';
import { getInput, renameNode, setAccount, setInput, setOnError, setRetry } from '@/lib/editor/document-ops';
import type { EditorDocument, EditorNode } from '@/lib/editor/editor-document';
import type { SourceGroup } from '@/lib/editor/mapping-sources';
import type { PaletteItem } from '@/lib/editor/palette';
import { stepInfo } from '@/lib/editor/step-info';
import { CONDITION_OPERATORS } from '@/lib/flows/model/conditions';
import { kindOf } from '@/lib/flows/model/node-kinds';
import type { Problem } from '@/lib/flows/model/problem';
import { AppBadge } from './app-badge';
import { ConnectionsSection } from './connections-section';
import { ConditionBuilder, type ColumnOption } from './condition-builder';
import { useEditorStore } from './editor-context';
import { ValueField } from './value-field';

/**
 * The inspector of the selected step. Its fields come from the step's schema: for Dynamics steps the
 * connector's form for that table as the chosen account's organization describes it (so fields
 * change with the account), for the others the node kind's own schema. Each field takes a fixed
 * value or one mapped from earlier steps.
 */
export function InspectorPanel({
  node,
  catalog,
  accounts,
  tableDetails,
  sources,
  problems,
  lastRun,
  stale = false,
  stepTest,
}: {
  lastRun?: { input: unknown; output: unknown; error: unknown; status: string; durationMs: number | null };
  /** The last result predates a change to this step or to one before it. */
  stale?: boolean;
  /** "Test this step" (absent for the trigger); disabled with the reason in words. */
  stepTest?: { disabledReason?: string; run(): void };
  node: EditorNode;
  catalog: ReadonlyMap<string, PaletteItem>;
  accounts: readonly AccountView[];
  tableDetails(accountId: string | undefined, table: string): { details?: TableDetails; loading: boolean; error?: string };
  sources: readonly SourceGroup[];
  problems: readonly Problem[];
}) {
  const store = useEditorStore();
  const info = stepInfo(node.type, catalog);
  const kind = kindOf(node.type);
  const parsed = parseId(node.type);
  const edit = (change: Parameters<ReturnType<typeof store.getState>['edit']>[0], coalesce?: string) =>
    store.getState().edit(change, coalesce ? { coalesce } : {});

  const table = parsed?.table;
  const looked = table ? tableDetails(node.params.accountId, table) : undefined;
  const fields = useMemo<FormField[]>(() => {
    // Required fields first: they are what a new step needs before it can run.
    if (parsed?.action)
      return [...(looked?.details?.actions[node.type]?.input.fields ?? [])].sort((a, b) => Number(b.required) - Number(a.required));
    if (!kind) return [];
    try {
      return describeForm(kind.inputs as never).fields.map((f) => ({ ...f, label: humanLabel(f) }));
    } catch {
      return [];
    }
  }, [parsed?.action, looked?.details, node.type, kind]);

  const fieldProblems = (name: string) =>
    problems.filter((p) => p.field === `params.inputs.${name}` || p.field?.startsWith(`params.inputs.${name}.`)).map((p) => p.message);
  const general = problems.filter(
    (p) => !p.field?.startsWith('params.inputs.') || !fields.some((f) => p.field?.startsWith(`params.inputs.${f.name}`)),
  );
  const columns: ColumnOption[] | undefined = table
    ? looked?.details?.schema.columns
        .filter((c) => c.validForRead)
        .map((c) => ({
          column: c.logicalName,
          label: c.displayName,
          type: c.type,
          operators: ['eq', 'ne', 'contains', 'null', 'not_null'],
          ...(c.choices ? { choices: c.choices.map((x) => ({ value: x.value, label: x.label })) } : {}),
        }))
    : undefined;

  return (
    <aside
      aria-label="Step settings"
      className="flex h-full w-96 shrink-0 flex-col overflow-y-auto border-l border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
      data-testid="inspector"
    >
      <div className="flex items-center gap-3 border-b border-slate-200 p-4 dark:border-slate-800">
        <AppBadge application={info.application} />
        <div className="min-w-0">
          <p className="text-xs uppercase tracking-wide text-slate-500">{info.category === 'trigger' ? 'Trigger' : 'Step'}</p>
          <h2 className="truncate text-base font-semibold">{info.title}</h2>
        </div>
      </div>
      <div className="p-4">
        <label htmlFor="step-name" className="field-label">
          Name on the canvas
        </label>
        <input
          id="step-name"
          className="field-input mb-4"
          placeholder={info.title}
          value={node.name ?? ''}
          onChange={(e) => edit((d) => renameNode(d, node.id, e.target.value), `${node.id}:name`)}
        />

        {general.length > 0 && (
          <ul
            className="mb-4 space-y-1 rounded-md bg-red-50 p-3 text-xs text-red-800 dark:bg-red-950/50 dark:text-red-200"
            data-testid="step-problems"
          >
            {general.map((p, i) => (
              <li key={`${p.code}-${i}`}>{p.message}</li>
            ))}
          </ul>
        )}

        {info.needsAccount && (
          <div className="mb-4">
            <label htmlFor="step-account" className="field-label">
              Account
            </label>
            {accounts.length === 0 ? (
              <p className="text-sm text-slate-600">
                No Dynamics account yet.{' '}
                <Link href="/catalog" className="text-brand-700 underline">
                  Connect one in the catalog
                </Link>
                .
              </p>
            ) : (
              <select
                id="step-account"
                className="field-input"
                value={node.params.accountId ?? ''}
                onChange={(e) => edit((d) => setAccount(d, node.id, e.target.value || undefined))}
              >
                <option value="">Choose an account…</option>
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
            {looked?.loading && <p className="mt-1 text-xs text-slate-500">Reading this organization’s fields…</p>}
            {looked?.error && <p className="mt-1 text-xs text-red-700">{looked.error}</p>}
          </div>
        )}

        {node.type === 'scheduler.schedule' ? (
          <ScheduleFields node={node} onChange={(inputs) => edit((d) => replaceInputs(d, node.id, inputs))} problems={problems} />
        ) : node.type === 'toolbox.if' ? (
          <ConditionBuilder
            legend="Continue on “then” when"
            shape="rules"
            operators={CONDITION_OPERATORS}
            value={node.params.inputs.condition}
            onChange={(v) => edit((d) => setInput(d, node.id, ['condition'], v), `${node.id}:condition`)}
            sources={sources}
          />
        ) : (
          fields
            .filter((f) => visible(f, node))
            .map((f) =>
              f.widget === 'conditions' ? (
                <ConditionBuilder
                  key={f.name}
                  legend={f.label}
                  shape="conditions"
                  columns={(f.conditionFields as ColumnOption[] | undefined) ?? columns}
                  value={getInput(node, f.name.split('.'))}
                  onChange={(v) => edit((d) => setInput(d, node.id, f.name.split('.'), v), `${node.id}:${f.name}`)}
                  sources={sources}
                />
              ) : f.widget === 'columns' ? (
                <ColumnsField
                  key={f.name}
                  field={f}
                  node={node}
                  columns={columns ?? []}
                  onChange={(v) => edit((d) => setInput(d, node.id, f.name.split('.'), v))}
                />
              ) : (
                <ValueField
                  key={f.name}
                  field={narrowed(f, fields, node)}
                  value={getInput(node, f.name.split('.'))}
                  onChange={(v) => edit((d) => setInput(d, node.id, f.name.split('.'), v), `${node.id}:${f.name}`)}
                  sources={sources}
                  problems={fieldProblems(f.name)}
                  accountId={node.params.accountId}
                />
              ),
            )
        )}

        {kind?.handlesErrors && <ErrorSettings node={node} onChange={edit} />}
        <ConnectionsSection node={node} catalog={catalog} />
        {stepTest && <StepTestButton stepTest={stepTest} />}
        {lastRun && <LastRun run={lastRun} stale={stale} />}
      </div>
    </aside>
  );
}

function replaceInputs<D extends { nodes: EditorNode[] }>(doc: D, id: string, inputs: Record<string, unknown>): D {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, inputs } } : n)) };
}

function narrowed(f: FormField, all: FormField[], node: EditorNode): FormField {
  if (!f.choicesBy) return f;
  const byPath = [...f.name.split('.').slice(0, -1), f.choicesBy];
  const by = all.find((x) => x.name === byPath.join('.'));
  const choices = choicesFor(f, by, getInput(node, byPath));
  return choices === f.choices ? f : { ...f, ...(choices ? { choices } : {}) };
}

function visible(f: FormField, node: EditorNode): boolean {
  if (!f.visibleWhen) return true;
  return getInput(node, f.visibleWhen.field.split('.')) === f.visibleWhen.equals;
}

function ColumnsField({
  field,
  node,
  columns,
  onChange,
}: {
  field: FormField;
  node: EditorNode;
  columns: ColumnOption[];
  onChange(v: unknown): void;
}) {
  const chosen = (getInput(node, field.name.split('.')) as string[] | undefined) ?? [];
  return (
    <fieldset className="mb-4">
      <legend className="field-label">{field.label}</legend>
      <div className="max-h-40 overflow-y-auto rounded-md border border-slate-200 p-2 dark:border-slate-700">
        {columns.map((c) => (
          <label key={c.column} className="flex items-center gap-2 py-0.5 text-xs">
            <input
              type="checkbox"
              checked={chosen.includes(c.column)}
              onChange={(e) => {
                const next = e.target.checked ? [...chosen, c.column] : chosen.filter((x) => x !== c.column);
                onChange(next.length ? next : undefined);
              }}
            />
            {c.label}
          </label>
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-500">None chosen: every column.</p>
    </fieldset>
  );
}

function ScheduleFields({
  node,
  onChange,
  problems,
}: {
  node: EditorNode;
  onChange(inputs: Record<string, unknown>): void;
  problems: readonly Problem[];
}) {
  const inputs = node.params.inputs as { mode?: string; everySeconds?: number; cron?: string; timeZone?: string };
  const mode = inputs.mode ?? 'interval';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div>
      <label htmlFor="sched-mode" className="field-label">
        Runs
      </label>
      <select
        id="sched-mode"
        className="field-input mb-3"
        value={mode}
        onChange={(e) =>
          onChange(
            e.target.value === 'cron' ? { mode: 'cron', cron: '0 9 * * 1-5', timeZone: zone } : { mode: 'interval', everySeconds: 3600 },
          )
        }
      >
        <option value="interval">Every so often</option>
        <option value="cron">On a schedule (cron)</option>
      </select>
      {mode === 'interval' ? (
        <>
          <label htmlFor="sched-minutes" className="field-label">
            Every (minutes)
          </label>
          <input
            id="sched-minutes"
            type="number"
            min={1}
            className="field-input mb-3"
            value={inputs.everySeconds ? Math.round(inputs.everySeconds / 60) : ''}
            onChange={(e) => onChange({ mode: 'interval', everySeconds: Math.max(1, Number(e.target.value) || 1) * 60 })}
          />
        </>
      ) : (
        <>
          <label htmlFor="sched-cron" className="field-label">
            Cron (minute hour day month weekday)
          </label>
          <input
            id="sched-cron"
            className="field-input mb-3 font-mono"
            value={inputs.cron ?? ''}
            onChange={(e) => onChange({ ...inputs, mode: 'cron', cron: e.target.value })}
          />
          <label htmlFor="sched-zone" className="field-label">
            Time zone
          </label>
          <input
            id="sched-zone"
            className="field-input mb-3"
            value={inputs.timeZone ?? zone}
            onChange={(e) => onChange({ ...inputs, mode: 'cron', timeZone: e.target.value })}
          />
        </>
      )}
      {problems
        .filter((p) => p.field?.startsWith('params.inputs'))
        .map((p, i) => (
          <p key={i} className="text-xs text-red-700">
            {p.message}
          </p>
        ))}
    </div>
  );
}

function ErrorSettings({ node, onChange }: { node: EditorNode; onChange(change: (d: EditorDocument) => EditorDocument): void }) {
  const retry = node.params.retry;
  const retryMode = !retry ? 'default' : retry.maxAttempts <= 1 ? 'none' : (retry.backoff ?? 'exponential');
  return (
    <fieldset className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-800">
      <legend className="mb-2 text-sm font-semibold">When this step fails</legend>
      <label htmlFor="on-error" className="field-label">
        Then
      </label>
      <select
        id="on-error"
        className="field-input mb-3"
        value={node.params.onError ?? 'fail'}
        onChange={(e) => onChange((d) => setOnError(d, node.id, e.target.value as 'fail'))}
      >
        <option value="fail">Stop the run (it fails)</option>
        <option value="continue">Go on with the error as the step’s output</option>
        <option value="route">Follow the step’s “on error” path</option>
      </select>
      <label htmlFor="retry-mode" className="field-label">
        Retries (temporary failures only)
      </label>
      <select
        id="retry-mode"
        className="field-input mb-3"
        value={retryMode}
        onChange={(e) => {
          const v = e.target.value;
          onChange((d) =>
            setRetry(
              d,
              node.id,
              v === 'default'
                ? undefined
                : v === 'none'
                  ? { maxAttempts: 1 }
                  : {
                      maxAttempts: retry?.maxAttempts && retry.maxAttempts > 1 ? retry.maxAttempts : 4,
                      delaySeconds: retry?.delaySeconds ?? 5,
                      backoff: v as 'fixed' | 'exponential',
                    },
            ),
          );
        }}
      >
        <option value="default">Default: 4 tries, growing waits</option>
        <option value="none">Never retry</option>
        <option value="fixed">Fixed wait</option>
        <option value="exponential">Growing wait</option>
      </select>
      {retry && retry.maxAttempts > 1 && (
        <div className="grid grid-cols-2 gap-3">
          <div>
            <label htmlFor="retry-attempts" className="field-label">
              Tries in all
            </label>
            <input
              id="retry-attempts"
              type="number"
              min={2}
              max={10}
              className="field-input"
              value={retry.maxAttempts}
              onChange={(e) =>
                onChange((d) => setRetry(d, node.id, { ...retry, maxAttempts: Math.min(10, Math.max(2, Number(e.target.value) || 2)) }))
              }
            />
          </div>
          <div>
            <label htmlFor="retry-delay" className="field-label">
              First wait (s)
            </label>
            <input
              id="retry-delay"
              type="number"
              min={0}
              max={3600}
              className="field-input"
              value={retry.delaySeconds ?? 5}
              onChange={(e) =>
                onChange((d) => setRetry(d, node.id, { ...retry, delaySeconds: Math.min(3600, Math.max(0, Number(e.target.value) || 0)) }))
              }
            />
          </div>
        </div>
      )}
    </fieldset>
  );
}

function StepTestButton({ stepTest }: { stepTest: { disabledReason?: string; run(): void } }) {
  return (
    <div className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-800">
      <button
        type="button"
        className="btn-secondary w-full justify-center"
        onClick={stepTest.run}
        disabled={stepTest.disabledReason !== undefined}
        aria-describedby={stepTest.disabledReason ? 'step-test-why' : undefined}
      >
        Test this step
      </button>
      <p id="step-test-why" className="mt-1 text-xs text-slate-500">
        {stepTest.disabledReason ??
          'Runs only this step, with its settings as they are now, on what the steps before it gave in the last test.'}
      </p>
    </div>
  );
}

function LastRun({
  run,
  stale,
}: {
  run: { input: unknown; output: unknown; error: unknown; status: string; durationMs: number | null };
  stale: boolean;
}) {
  const show = (v: unknown) => (v === undefined || v === null ? '—' : JSON.stringify(v, null, 2));
  return (
    <section
      className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-800"
      aria-label="Last test of this step"
      data-testid="last-run"
    >
      <h3 className="mb-2 text-sm font-semibold">
        In the last test: {run.status}
        {run.durationMs !== null && <span className="font-normal text-slate-500"> · {run.durationMs} ms</span>}
      </h3>
      {stale && (
        <p
          className="mb-2 rounded-md bg-amber-50 p-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-100"
          data-testid="stale-note"
        >
          Out of date: this step or a step before it changed since this result. Test it again to see what it does now.
        </p>
      )}
      {run.error !== null && run.error !== undefined && (
        <pre className="mb-2 overflow-x-auto rounded bg-red-50 p-2 text-xs text-red-800 dark:bg-red-950 dark:text-red-200">
          {show(run.error)}
        </pre>
      )}
      <p className="text-xs font-medium text-slate-500">Input</p>
      <pre className="mb-2 max-h-40 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-800">{show(run.input)}</pre>
      <p className="text-xs font-medium text-slate-500">Output</p>
      <pre className="max-h-40 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-800">{show(run.output)}</pre>
    </section>
  );
}

/** The kind schemas name their fields in code (`timeoutSeconds`); people read "Timeout seconds". */
function humanLabel(f: FormField): string {
  const last = f.name.split('.').pop() ?? f.name;
  if (f.label !== last) return f.label;
  const words = last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
