'use client';

import type { ReactNode } from 'react';
import type { FormField } from '@/lib/forms/describe-form';
import { FieldFrame } from './field-frame';
import { TextField } from './text-field';

/** How a field looks right now, beyond its description: another placeholder, or locked. */
export interface FieldState {
  placeholder?: string;
  disabled?: boolean;
  /** Help that fits this use of the field better than its description's. */
  help?: string;
}

export interface SchemaFormProps {
  /** The fields, from `describeForm` of the zod schema the server validates with. */
  fields: readonly FormField[];
  values: Readonly<Record<string, string>>;
  onChange: (name: string, value: string) => void;
  /** Prefix for element ids, e.g. `connect-` gives `connect-serviceUrl`. */
  idPrefix: string;
  /** The field the last failure points at. */
  invalidField?: string | null;
  stateOf?: (field: FormField) => FieldState | undefined;
  /** Extra content at the end of the Advanced section. */
  advancedExtra?: ReactNode;
  /** Rendered between the main fields and the Advanced section. */
  children?: ReactNode;
}

const INPUT_TYPE: Record<string, string> = { password: 'password', url: 'url', email: 'email', date: 'date', number: 'number' };

export function SchemaForm({ fields, values, onChange, idPrefix, invalidField, stateOf, advancedExtra, children }: SchemaFormProps) {
  const render = (field: FormField) => {
    const state = stateOf?.(field);
    const id = `${idPrefix}${field.name}`;
    const common = {
      label: field.label + (field.required ? '' : ' (optional)'),
      help: state?.help ?? field.description,
      invalid: invalidField === field.name,
      disabled: state?.disabled,
    };
    if (field.widget === 'select' && field.choices) {
      return (
        <SelectField
          key={field.name}
          id={id}
          {...common}
          value={values[field.name] ?? ''}
          choices={field.choices}
          onChange={(v) => onChange(field.name, v)}
        />
      );
    }
    return (
      <TextField
        key={field.name}
        id={id}
        {...common}
        type={INPUT_TYPE[field.widget] ?? (field.secret ? 'password' : 'text')}
        placeholder={state?.placeholder ?? field.placeholder}
        value={values[field.name] ?? ''}
        onChange={(v) => onChange(field.name, v)}
        autoComplete={field.secret ? 'new-password' : 'off'}
      />
    );
  };
  const main = fields.filter((f) => f.group !== 'advanced');
  const advanced = fields.filter((f) => f.group === 'advanced');
  return (
    <>
      {main.map(render)}
      {children}
      {(advanced.length > 0 || advancedExtra) && (
        <details className="rounded-lg border border-slate-200 px-4 py-3 text-sm dark:border-slate-700">
          <summary className="cursor-pointer font-medium">Advanced</summary>
          <div className="mt-3 space-y-4">
            {advanced.map(render)}
            {advancedExtra}
          </div>
        </details>
      )}
    </>
  );
}

function SelectField(props: {
  id: string;
  label: string;
  help?: string;
  value: string;
  choices: readonly { value: string | number; label: string }[];
  onChange: (value: string) => void;
  disabled?: boolean;
  invalid?: boolean;
}) {
  return (
    <FieldFrame id={props.id} label={props.label} help={props.help}>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={props.help ? `${props.id}-help` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        className="field-input"
      >
        <option value="">—</option>
        {props.choices.map((c) => (
          <option key={String(c.value)} value={String(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
