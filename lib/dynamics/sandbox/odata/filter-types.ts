/**
 * Types shared by the `$filter` compiler (`filter-evaluate.ts`), the `Microsoft.Dynamics.CRM.*`
 * query functions (`crm-functions.ts`) and the binders that resolve property paths on table rows
 * (`row-binder.ts`) and on metadata objects (`metadata/metadata-query.ts`). They live here, apart
 * from the code, so that the compiler and the query functions can use each other's types without
 * importing each other.
 */

/** The value kind of a bound property path or compiled sub-expression, which decides how it compares. */
export type ValueType = 'string' | 'number' | 'boolean' | 'guid' | 'datetime' | 'date' | 'unknown';

export type Getter = (row: unknown) => unknown;

export interface BoundPath {
  get: Getter;
  type: ValueType;
  /** Edm type name for error messages */
  edm: string;
}

/** What the `Microsoft.Dynamics.CRM.*` query functions read: the clock and the calling user. */
export interface CrmFunctionContext {
  now: () => number;
  userId: string;
  businessUnitId: string;
}

export interface Binder {
  path(segments: string[]): BoundPath;
  /** For `any`/`all`: the collection at `segments` and a binder for its items. */
  collection?(segments: string[]): { items: (row: unknown) => unknown[]; itemBinder: Binder };
  /** Property name → getter, for Microsoft.Dynamics.CRM.* functions' PropertyName. */
  property(name: string): BoundPath;
  crm: CrmFunctionContext;
}
