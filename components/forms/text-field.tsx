import { FieldFrame } from './field-frame';

export interface TextFieldProps {
  id: string;
  label: string;
  help?: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  placeholder?: string;
  disabled?: boolean;
  invalid?: boolean;
  autoComplete?: string;
}

export function TextField(props: TextFieldProps) {
  return (
    <FieldFrame id={props.id} label={props.label} help={props.help}>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        autoComplete={props.autoComplete ?? 'off'}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={props.help ? `${props.id}-help` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        className={`field-input disabled:bg-slate-100 disabled:text-slate-500 dark:disabled:bg-slate-800 ${props.invalid ? 'border-red-500 ring-2 ring-red-500/20' : ''}`}
      />
    </FieldFrame>
  );
}
