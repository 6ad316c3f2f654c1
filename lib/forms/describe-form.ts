/**
 * The editor's form, derived from the same zod schema the server validates with: `z.toJSONSchema`
 * (input side) plus the `.meta()` each field carries, flattened into a list of fields with dotted
 * names. A small walker, so the editor never has to understand JSON Schema.
 */
import { z } from 'zod';

export interface FormChoice {
  value: string | number;
  label: string;
  /** A status reason's status (the `choicesBy` field's value it goes with). */
  state?: number;
}

export interface FormField {
  /** Dotted path in the input, e.g. `fields.lastname`, `match.by`, `maxItems`. */
  name: string;
  label: string;
  description?: string;
  widget: string;
  /** Column type (`string`, `choice`, `lookup`, …) for column fields, else the JSON type. */
  type: string;
  required: boolean;
  column?: string;
  requiredLevel?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  nullable?: boolean;
  choices?: FormChoice[];
  /** A sibling field whose value narrows the choices (a status reason's `statecode`): see `choicesFor`. */
  choicesBy?: string;
  lookupTargets?: { table: string; displayName: string; entitySetName: string | null }[];
  conditionFields?: unknown[];
  visibleWhen?: { field: string; equals: unknown };
  placeholder?: string;
  /** A secret: rendered masked, never filled from what is stored. */
  secret?: boolean;
  /** A section the form groups the field under (e.g. `advanced`). */
  group?: string;
  /** A token the server can obtain instead of the person typing it. */
  fromTokens?: string;
}

export interface FormDescription {
  fields: FormField[];
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; anyOf?: JsonSchema[] };

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);

/** The non-null branch of a nullable field. */
function core(node: JsonSchema): { node: JsonSchema; nullable: boolean } {
  const branches = node.anyOf;
  if (!branches) return { node, nullable: false };
  const nonNull = branches.filter((b) => b.type !== 'null');
  return {
    node: nonNull.length === 1 && nonNull[0] ? { ...nonNull[0], ...node, anyOf: undefined } : node,
    nullable: nonNull.length < branches.length,
  };
}

function field(name: string, raw: JsonSchema, required: boolean): FormField {
  const { node, nullable } = core(raw);
  const enumValues = Array.isArray(node.enum) ? (node.enum as (string | number)[]) : undefined;
  const out: FormField = {
    name,
    label: str(node.title) ?? name.split('.').pop() ?? name,
    widget: str(node['x-widget']) ?? (enumValues ? 'select' : 'text'),
    type: str(node['x-type']) ?? str(node.type) ?? 'any',
    required,
  };
  const put = <K extends keyof FormField>(k: K, v: FormField[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  put('description', str(node.description));
  put('column', str(node['x-column']));
  put('requiredLevel', str(node['x-required-level']));
  put('maxLength', num(node.maxLength));
  put('minimum', num(node.minimum));
  put('maximum', num(node.maximum));
  if ('default' in node) out.default = node.default;
  if (nullable) out.nullable = true;
  put('choices', (node['x-choices'] as FormChoice[] | undefined) ?? enumValues?.map((v) => ({ value: v, label: String(v) })));
  put('choicesBy', str(node['x-choices-by']));
  put('lookupTargets', node['x-lookup-targets'] as FormField['lookupTargets']);
  put('conditionFields', node['x-condition-fields'] as unknown[] | undefined);
  put('visibleWhen', node['x-visible-when'] as FormField['visibleWhen']);
  put('placeholder', str(node['x-placeholder']));
  if (node['x-secret'] === true) out.secret = true;
  put('group', str(node['x-group']));
  put('fromTokens', str(node['x-from-tokens']));
  return out;
}

function walk(node: JsonSchema, prefix: string, out: FormField[]): void {
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (child['x-widget'] === undefined && child.properties) walk(child, name, out);
    else out.push(field(name, child, required.has(key)));
  }
}

/**
 * @example
 * describeForm(createRecord.input(contact, directory)).fields.find((f) => f.name === 'fields.lastname')
 * // { name: 'fields.lastname', label: 'Last Name', widget: 'text', type: 'string', required: true, maxLength: 50, … }
 */
export function describeForm(schema: z.ZodType): FormDescription {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const fields: FormField[] = [];
  walk(json, '', fields);
  return { fields };
}
