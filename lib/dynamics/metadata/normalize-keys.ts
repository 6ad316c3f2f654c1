/**
 * EntityKeyMetadata → AlternateKey. Dataverse builds an index for each alternate key; until its
 * EntityKeyIndexStatus is Active the key cannot address rows, so it is not offered.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/define-alternate-keys-entity
 */
import { isLogicalName } from './names';
import { pickLabel } from './labels';
import type { RawKey } from './raw-types';
import type { AlternateKey } from './types';

/** @example normalizeKeys([{ LogicalName: 'accountnumberkey', KeyAttributes: ['accountnumber'], EntityKeyIndexStatus: 'Active' }]) */
export function normalizeKeys(raw: readonly RawKey[]): AlternateKey[] {
  return raw
    .filter((k) => (k.EntityKeyIndexStatus ?? 'Active') === 'Active' && k.KeyAttributes.length > 0 && k.KeyAttributes.every(isLogicalName))
    .map((k) => ({
      logicalName: k.LogicalName,
      schemaName: k.SchemaName ?? k.LogicalName,
      displayName: pickLabel(k.DisplayName, k.SchemaName ?? k.LogicalName),
      columns: [...k.KeyAttributes],
    }))
    .sort((a, b) => a.logicalName.localeCompare(b.logicalName));
}
