/**
 * The vocabulary a connector uses to describe how its accounts connect: authorization methods made
 * of fields, each field a zod schema with the metadata people and the server need (label, help,
 * widget, secret or not, which sign-in failures point at it). Everything else is derived from one
 * such description by the functions below — the form the browser renders, what a request may
 * carry, the completeness check, which values are stored encrypted and what the browser may see —
 * so no list of field names is kept anywhere else. Pure: no I/O.
 */
import { z } from 'zod';

export type FieldWidget = 'url' | 'text' | 'email' | 'password' | 'date';

export interface ConnectionField {
  label: string;
  help: string;
  widget: FieldWidget;
  /** Checks one given value (text is trimmed by the schema itself); an empty value counts as not given. */
  schema: z.ZodType<string, string>;
  required: boolean;
  /** Stored encrypted, never sent back to the browser (a placeholder stands in), cleared from the form after a failed try. */
  secret?: boolean;
  placeholder?: string;
  /** Shown under "Advanced" in the form. */
  advanced?: boolean;
  /** A token the server can obtain instead (generated from a one-off sign-in, or the sandbox's): which one. */
  fromTokens?: 'accessToken' | 'refreshToken';
  /** Which sign-in failures this field is to blame for, so the form can mark it: AADSTS numbers and error codes. */
  blamedFor?: { aadsts?: readonly number[]; codes?: readonly string[]; statuses?: readonly number[] };
}

export interface AuthMethodDescription<TId extends string = string> {
  id: TId;
  title: string;
  /** How an account connected this way is listed. */
  shortTitle: string;
  summary: string;
  /** `redirect`: the person signs in at Microsoft's page; `form`: the fields are enough to sign in from the server. */
  signIn: 'redirect' | 'form';
  /** Whether the server may obtain this method's tokens itself from a one-off username and password ("Generate tokens"). */
  canGenerateTokens?: boolean;
  fields: Readonly<Record<string, ConnectionField>>;
}

/** What the browser sees instead of a stored secret; sending it back keeps the stored value. */
export const SECRET_PLACEHOLDER = '•••• set';

/** @example const clientId = connectionField(z.string().trim().max(200), { label: 'Client ID', help: '…', widget: 'text' }) */
export function connectionField(schema: z.ZodType<string, string>, meta: Omit<ConnectionField, 'schema' | 'required'>): ConnectionField {
  return { ...meta, schema, required: true };
}

/** The same field as one method needs it: optional, under Advanced, with other help… */
export function variantOf(field: ConnectionField, changes: Partial<Omit<ConnectionField, 'schema'>>): ConnectionField {
  return { ...field, ...changes };
}

/** @example defineAuthMethods([{ id: 'password', title: '…', fields: { … } }, …]) */
export function defineAuthMethods<const T extends readonly AuthMethodDescription[]>(methods: T): T {
  const ids = methods.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error('An authorization method is declared twice.');
  return methods;
}

export const fieldEntries = (method: AuthMethodDescription) => Object.entries(method.fields);
export const secretFieldNames = (method: AuthMethodDescription) => fieldEntries(method).flatMap(([name, f]) => (f.secret ? [name] : []));

/**
 * The zod schema a form is rendered from (through `describeForm`): each field with its label,
 * help and widget, plus `x-secret`, `x-placeholder` and `x-group` for the form to read.
 */
export function formSchema(method: AuthMethodDescription): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, f] of fieldEntries(method)) {
    const described = f.schema.meta({
      title: f.label,
      description: f.help,
      'x-widget': f.widget,
      ...(f.secret ? { 'x-secret': true } : {}),
      ...(f.placeholder ? { 'x-placeholder': f.placeholder } : {}),
      ...(f.advanced ? { 'x-group': 'advanced' } : {}),
      ...(f.fromTokens ? { 'x-from-tokens': f.fromTokens } : {}),
    });
    shape[name] = f.required ? described : described.optional();
  }
  return z.object(shape);
}

/**
 * What a request may carry for a method: every field optional, since the server may fill a value
 * in (from what is stored, or the sandbox's own). An empty string is allowed: it means "not
 * given" (or, for a non-secret setting being updated, "clear it").
 */
export function requestShape(method: AuthMethodDescription): Record<string, z.ZodType> {
  return Object.fromEntries(fieldEntries(method).map(([name, f]) => [name, z.union([z.literal(''), f.schema]).optional()]));
}

export type FieldIssue = { field: string; message: string };

/**
 * The completeness check once every source of values is merged: required fields present, each
 * value valid. Messages name the field by its label and never echo the value (it may be a secret).
 */
export function checkFields(
  method: AuthMethodDescription,
  values: Readonly<Record<string, string | undefined>>,
): { ok: true; values: Record<string, string> } | { ok: false; issues: FieldIssue[] } {
  const out: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  for (const [name, f] of fieldEntries(method)) {
    const raw = values[name];
    if (raw === undefined || raw.trim() === '') {
      if (f.required) issues.push({ field: name, message: `${f.label} is required for this authorization method.` });
      continue;
    }
    const parsed = f.schema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else issues.push({ field: name, message: `${f.label}: ${parsed.error.issues[0]?.message ?? 'not valid'}` });
  }
  return issues.length ? { ok: false, issues } : { ok: true, values: out };
}

/** Splits checked values into what is stored as plain settings and what is stored encrypted. */
export function splitSecrets(method: AuthMethodDescription, values: Readonly<Record<string, string>>) {
  const settings: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const f = method.fields[name];
    if (!f) continue;
    (f.secret ? secrets : settings)[name] = value;
  }
  return { settings, secrets };
}

/** Per secret field of the method: the placeholder when a value is stored, else null. */
export function secretPresence(method: AuthMethodDescription, stored: Readonly<Record<string, unknown>>): Record<string, string | null> {
  return Object.fromEntries(secretFieldNames(method).map((name) => [name, stored[name] ? SECRET_PLACEHOLDER : null]));
}

/** The field a sign-in failure points at, if any of the method's fields declares it. */
export function blamedField(
  method: AuthMethodDescription,
  failure: { aadsts?: number; code?: string; status?: number },
): string | undefined {
  // Most specific first: Microsoft's AADSTS number, then the error code, then the HTTP status.
  const tests = [
    (f: ConnectionField) => failure.aadsts !== undefined && f.blamedFor?.aadsts?.includes(failure.aadsts),
    (f: ConnectionField) => failure.code !== undefined && f.blamedFor?.codes?.includes(failure.code),
    (f: ConnectionField) => failure.status !== undefined && f.blamedFor?.statuses?.includes(failure.status),
  ];
  for (const test of tests) {
    const hit = fieldEntries(method).find(([, f]) => test(f));
    if (hit) return hit[0];
  }
  return undefined;
}
