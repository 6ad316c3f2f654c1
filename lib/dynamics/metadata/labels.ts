import type { RawLabelSet } from './raw-types';

/**
 * A label in the user's language when Dataverse says which one that is, else English (1033), else
 * the first one, else the fallback (custom columns can lack labels in some languages).
 */
export function pickLabel(set: RawLabelSet | null | undefined, fallback: string): string {
  const user = set?.UserLocalizedLabel?.Label;
  if (user) return user;
  const labels = set?.LocalizedLabels ?? [];
  return labels.find((l) => l.LanguageCode === 1033)?.Label || labels[0]?.Label || fallback;
}
