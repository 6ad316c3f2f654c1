/**
 * Label shapes of metadata: LocalizedLabels + UserLocalizedLabel, LCID 1033 (English).
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 */
import { stableGuid } from '../tables/columns';

export interface Label {
  LocalizedLabels: Array<Record<string, unknown>>;
  UserLocalizedLabel: Record<string, unknown> | null;
}

export function label(text: string | undefined, ...idParts: string[]): Label {
  if (!text) return { LocalizedLabels: [], UserLocalizedLabel: null };
  const l = { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: stableGuid('label', ...idParts), HasChanged: null };
  return { LocalizedLabels: [l], UserLocalizedLabel: { ...l } };
}

export const managed = (value: boolean, name: string): Record<string, unknown> => ({
  Value: value,
  CanBeChanged: true,
  ManagedPropertyLogicalName: name,
});
