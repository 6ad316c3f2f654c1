/**
 * The primary key column of a table from its entity set name, for client-generated ids on create
 * (so a retried create addresses the same row and cannot duplicate it). Metadata's
 * `PrimaryIdAttribute` / `EntitySetName → LogicalName` wins when the caller passes it; otherwise
 * `<logical name>id` with the logical name derived from common plural forms.
 */
import { assertName } from './names';

/** Entity sets whose logical name is not a simple plural (Dataverse standard tables). */
const IRREGULAR: Readonly<Record<string, string>> = {
  salesorders: 'salesorder',
  opportunities: 'opportunity',
  activityparties: 'activityparty',
  businessunits: 'businessunit',
  customeraddresses: 'customeraddress',
  processsessions: 'processsession',
};

export function logicalNameOf(entitySet: string, map?: Readonly<Record<string, string>>): string {
  const known = map?.[entitySet] ?? IRREGULAR[entitySet];
  if (known) return assertName(known, 'table logical name');
  if (entitySet.endsWith('ies')) return `${entitySet.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh)es$/.test(entitySet)) return entitySet.slice(0, -2);
  if (entitySet.endsWith('s')) return entitySet.slice(0, -1);
  return entitySet;
}

export function primaryKeyOf(entitySet: string, explicit?: string, map?: Readonly<Record<string, string>>): string {
  if (explicit) return assertName(explicit, 'primary key column');
  return `${logicalNameOf(entitySet, map)}id`;
}
