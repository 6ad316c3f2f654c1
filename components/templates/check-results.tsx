'use client';

import { Icon } from '@/components/ui/icon';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import type { TemplateCheck, TemplateMismatch } from './templates-client';
import { fieldLabel, mismatchKey, type FixChoice } from './template-choices';

const MAX_RADIO_CHOICES = 8;

function FixOptions({
  mismatch,
  choice,
  onChoice,
  onOtherAccount,
}: {
  mismatch: TemplateMismatch;
  choice: FixChoice | undefined;
  onChoice(choice: FixChoice | undefined): void;
  onOtherAccount(): void;
}) {
  const key = mismatchKey(mismatch);
  const { fix } = mismatch;
  const canLeaveOut = fix.kind === 'leave_out' || (fix.kind === 'pick_value' && !!fix.leaveOut);
  const radio = 'h-4 w-4 shrink-0 accent-brand-600';
  return (
    <div className="mt-2 space-y-1.5 text-sm">
      {fix.kind === 'pick_value' &&
        (fix.choices.length <= MAX_RADIO_CHOICES ? (
          fix.choices.map((c) => (
            <label key={c.value} className="flex items-center gap-2">
              <input
                type="radio"
                name={key}
                className={radio}
                checked={choice?.kind === 'value' && choice.value === c.value}
                onChange={() => onChoice({ kind: 'value', value: c.value })}
              />
              Use “{c.label}” instead
            </label>
          ))
        ) : (
          <label className="flex flex-wrap items-center gap-2">
            <input
              type="radio"
              name={key}
              className={radio}
              checked={choice?.kind === 'value'}
              onChange={() => onChoice({ kind: 'value', value: fix.choices[0]!.value })}
            />
            Use another value:
            <select
              aria-label="Value to use instead"
              className="field-input w-auto py-1"
              value={choice?.kind === 'value' ? String(choice.value) : ''}
              onChange={(e) => onChoice(e.target.value ? { kind: 'value', value: Number(e.target.value) } : undefined)}
            >
              <option value="">Choose…</option>
              {fix.choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        ))}
      {canLeaveOut && (
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name={key}
            className={radio}
            checked={choice?.kind === 'leave_out'}
            onChange={() => onChoice({ kind: 'leave_out' })}
          />
          Leave this field out — the flow is made without it
        </label>
      )}
      {(fix.kind === 'choose_account' || fix.kind === 'edit') && <p className="text-slate-600 dark:text-slate-400">{fix.text}</p>}
      <button type="button" className="text-sm text-brand-700 underline dark:text-brand-100" onClick={onOtherAccount}>
        Choose another account
      </button>
    </div>
  );
}

/** What the check found: each account verified (or why not), then every mismatch by step and field, each with its fixes. */
export function CheckResults({
  check,
  accounts,
  labels,
  choices,
  onChoice,
  onOtherAccount,
}: {
  check: TemplateCheck;
  accounts: readonly AccountView[];
  labels: Record<string, { label: string }>;
  choices: Readonly<Record<string, FixChoice>>;
  onChoice(key: string, choice: FixChoice | undefined): void;
  onOtherAccount(placeholder: string): void;
}) {
  const nameOf = (id: string) => accounts.find((a) => a.id === id)?.name ?? 'The account';
  const byStep = new Map<string, TemplateMismatch[]>();
  for (const m of check.mismatches) byStep.set(m.nodeName, [...(byStep.get(m.nodeName) ?? []), m]);
  const firstPlaceholder = check.accounts[0]?.placeholder ?? Object.keys(labels)[0] ?? '';
  return (
    <div className="space-y-3" data-testid="template-check">
      <ul className="space-y-1.5" aria-label="Accounts checked">
        {check.accounts.map((a) => (
          <li
            key={a.placeholder}
            data-testid="account-check"
            data-works={a.works}
            className={`flex items-start gap-2 rounded-md px-3 py-2 text-sm ${
              a.works
                ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100'
                : 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100'
            }`}
          >
            <Icon name={a.works ? 'check' : 'alert'} className="mt-0.5 h-4 w-4 shrink-0" />
            <span>
              <strong className="font-medium">{nameOf(a.accountId)}</strong>{' '}
              {a.works ? 'works: it signed in just now.' : `does not work: ${a.message ?? 'it could not sign in.'}`}
            </span>
          </li>
        ))}
      </ul>

      {check.mismatches.length === 0 ? (
        check.accounts.every((a) => a.works) && (
          <p className="text-sm text-emerald-800 dark:text-emerald-300" data-testid="template-fits">
            Every step fits this organization: its tables, columns and choices are all there.
          </p>
        )
      ) : (
        <div className="space-y-2" data-testid="template-mismatches">
          <p className="text-sm font-medium text-amber-900 dark:text-amber-200">
            {check.mismatches.length === 1 ? 'One thing does' : `${check.mismatches.length} things do`} not fit this organization. Choose a
            fix for each, or another account:
          </p>
          {[...byStep].map(([step, list]) => (
            <section
              key={step}
              aria-label={`Step ${step}`}
              className="rounded-lg border border-amber-200 bg-amber-50/60 p-3 dark:border-amber-900 dark:bg-amber-950/40"
            >
              <h4 className="text-sm font-semibold">{step}</h4>
              <ul className="mt-1 space-y-3">
                {list.map((m) => (
                  <li key={mismatchKey(m)} data-testid="mismatch" data-field={m.field}>
                    <fieldset>
                      <legend className="text-sm">
                        <code className="rounded bg-white px-1 py-0.5 text-xs dark:bg-slate-900">{fieldLabel(m.field)}</code>{' '}
                        <span className="text-slate-700 dark:text-slate-300">{m.message}</span>
                      </legend>
                      <FixOptions
                        mismatch={m}
                        choice={choices[mismatchKey(m)]}
                        onChoice={(c) => onChoice(mismatchKey(m), c)}
                        onOtherAccount={() => onOtherAccount(firstPlaceholder)}
                      />
                    </fieldset>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
