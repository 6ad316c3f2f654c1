'use client';

import { ToggleGroup } from 'radix-ui';
import { TRIGGER_KINDS, type TemplateObject, type TriggerKind } from '@/lib/templates/template-tags';
import { TRIGGER_KIND_LABELS } from './trigger-labels';

const ANY = 'any';

const ITEM =
  'rounded-full border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 transition-colors hover:bg-slate-100 data-[state=on]:border-brand-600 data-[state=on]:bg-brand-600 data-[state=on]:text-white dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:data-[state=on]:border-brand-500 dark:data-[state=on]:bg-brand-600';

function Chips({
  label,
  value,
  onChange,
  options,
  anyLabel,
  testId,
}: {
  label: string;
  value: string | undefined;
  onChange(value: string | undefined): void;
  options: { value: string; label: string }[];
  anyLabel: string;
  testId: string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span id={`${testId}-label`} className="w-16 shrink-0 text-xs font-semibold uppercase tracking-wide text-slate-500">
        {label}
      </span>
      <ToggleGroup.Root
        type="single"
        value={value ?? ANY}
        onValueChange={(v) => onChange(v && v !== ANY ? v : undefined)}
        aria-labelledby={`${testId}-label`}
        className="flex flex-wrap gap-1.5"
        data-testid={testId}
      >
        <ToggleGroup.Item value={ANY} className={ITEM}>
          {anyLabel}
        </ToggleGroup.Item>
        {options.map((o) => (
          <ToggleGroup.Item key={o.value} value={o.value} className={ITEM}>
            {o.label}
          </ToggleGroup.Item>
        ))}
      </ToggleGroup.Root>
    </div>
  );
}

export function TemplateFilters({
  objects,
  object,
  trigger,
  onObject,
  onTrigger,
}: {
  objects: readonly TemplateObject[];
  object: string | undefined;
  trigger: TriggerKind | undefined;
  onObject(object: string | undefined): void;
  onTrigger(trigger: TriggerKind | undefined): void;
}) {
  return (
    <div className="space-y-2">
      <Chips
        label="Object"
        testId="object-filter"
        value={object}
        onChange={onObject}
        anyLabel="All objects"
        options={objects.map((o) => ({ value: o.logicalName, label: o.displayName }))}
      />
      <Chips
        label="Trigger"
        testId="trigger-filter"
        value={trigger}
        onChange={(v) => onTrigger(v as TriggerKind | undefined)}
        anyLabel="Any trigger"
        options={TRIGGER_KINDS.map((k) => ({ value: k, label: TRIGGER_KIND_LABELS[k] }))}
      />
    </div>
  );
}
