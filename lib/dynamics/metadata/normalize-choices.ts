/**
 * Option sets (OptionSet `Options` with localized labels) → our ChoiceOption lists. Status options
 * carry the state they belong to and state options their default status, so the connector can keep
 * statecode and statuscode consistent. Boolean option sets become [false = 0, true = 1].
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
 */
import { pickLabel } from './labels';
import type { RawEnumAttribute, RawOption, RawOptionSet } from './raw-types';
import type { ChoiceOption } from './types';

function option(raw: RawOption): ChoiceOption {
  const out: ChoiceOption = { value: raw.Value, label: pickLabel(raw.Label, String(raw.Value)) };
  if (typeof raw.State === 'number') out.state = raw.State;
  if (typeof raw.DefaultStatus === 'number') out.defaultStatus = raw.DefaultStatus;
  return out;
}

/** @example normalizeOptionSet({ Options: [{ Value: 1, Label: { LocalizedLabels: [{ Label: 'Preferred Customer', LanguageCode: 1033 }] } }] }) // [{ value: 1, label: 'Preferred Customer' }] */
export function normalizeOptionSet(set: RawOptionSet): ChoiceOption[] {
  if (set.FalseOption || set.TrueOption) {
    return [
      { value: 0, label: pickLabel(set.FalseOption?.Label, 'No') },
      { value: 1, label: pickLabel(set.TrueOption?.Label, 'Yes') },
    ];
  }
  return (set.Options ?? []).filter((o) => o.IsHidden !== true).map(option);
}

/** Column logical name → its options, from the casted enum-attribute queries. */
export function choicesByColumn(items: readonly RawEnumAttribute[]): Map<string, ChoiceOption[]> {
  const out = new Map<string, ChoiceOption[]>();
  for (const item of items) {
    // A local option set wins; a column bound to a global choice reports it in GlobalOptionSet.
    const set = item.OptionSet ?? item.GlobalOptionSet;
    if (set) out.set(item.LogicalName, normalizeOptionSet(set));
  }
  return out;
}
