/**
 * The choices a field offers given its sibling's value: a status reason offers only the reasons of
 * the status chosen beside it (its `choicesBy` field, matched by value or by label); with no status
 * chosen, or one given by an expression, every reason stays offered.
 */
import type { FormChoice, FormField } from './describe-form';

/** @example choicesFor(statusField, stateField, 1) // the Inactive reasons only */
export function choicesFor(
  field: Pick<FormField, 'choices' | 'choicesBy'>,
  by: Pick<FormField, 'choices'> | undefined,
  byValue: unknown,
): FormChoice[] | undefined {
  if (!field.choices || !field.choicesBy) return field.choices;
  let state: number | undefined;
  if (typeof byValue === 'number') state = byValue;
  else if (typeof byValue === 'string') {
    const wanted = byValue.trim().toLocaleLowerCase();
    const hit = by?.choices?.find((c) => String(c.value) === wanted || c.label.trim().toLocaleLowerCase() === wanted);
    if (hit && typeof hit.value === 'number') state = hit.value;
  }
  if (state === undefined) return field.choices;
  return field.choices.filter((c) => c.state === undefined || c.state === state);
}
