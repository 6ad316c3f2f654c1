import type { TemplateMismatch } from '@/lib/templates/check-template-fit';

/** What a person chose to do about one mismatch. */
export type FixChoice = { kind: 'leave_out' } | { kind: 'value'; value: number };

export interface TemplateUseRequest {
  accounts: Record<string, string>;
  leaveOut?: { nodeId: string; field: string }[];
  values?: { nodeId: string; field: string; value: number }[];
  name?: string;
}

export const mismatchKey = (m: Pick<TemplateMismatch, 'nodeId' | 'field' | 'code'>) => `${m.nodeId}|${m.field}|${m.code}`;

/** Whether a mismatch can be fixed here at all (else only another account fits). */
export const fixableHere = (m: TemplateMismatch) => m.fix.kind === 'leave_out' || m.fix.kind === 'pick_value';

/** Where this choice leaves out an input, or undefined when the fix does not offer that. */
function leaveOutField(m: TemplateMismatch): string | undefined {
  if (m.fix.kind === 'leave_out') return m.fix.field;
  if (m.fix.kind === 'pick_value') return m.fix.leaveOut;
  return undefined;
}

/** The mismatches no choice has fixed yet. */
export function unresolved(mismatches: readonly TemplateMismatch[], choices: Readonly<Record<string, FixChoice>>): TemplateMismatch[] {
  return mismatches.filter((m) => {
    const c = choices[mismatchKey(m)];
    if (!c) return true;
    if (c.kind === 'leave_out') return leaveOutField(m) === undefined;
    return m.fix.kind !== 'pick_value' || !m.fix.choices.some((o) => o.value === c.value);
  });
}

/**
 * The body of `POST /api/templates/{id}/use`: the chosen accounts and, for each mismatch with a
 * choice, the input it leaves out or the value it sets (each input once). Choices for mismatches
 * the check no longer reports are dropped.
 */
export function requestBody(
  accounts: Readonly<Record<string, string>>,
  mismatches: readonly TemplateMismatch[],
  choices: Readonly<Record<string, FixChoice>>,
): TemplateUseRequest {
  const leaveOut = new Map<string, { nodeId: string; field: string }>();
  const values = new Map<string, { nodeId: string; field: string; value: number }>();
  for (const m of mismatches) {
    const c = choices[mismatchKey(m)];
    if (!c) continue;
    if (c.kind === 'leave_out') {
      const field = leaveOutField(m);
      if (field) leaveOut.set(`${m.nodeId}|${field}`, { nodeId: m.nodeId, field });
    } else if (m.fix.kind === 'pick_value') {
      values.set(`${m.nodeId}|${m.fix.field}`, { nodeId: m.nodeId, field: m.fix.field, value: c.value });
    }
  }
  // A value set inside an input that is left out would name an input that no longer exists.
  for (const [key, v] of values) {
    if ([...leaveOut.values()].some((l) => l.nodeId === v.nodeId && (v.field === l.field || v.field.startsWith(`${l.field}.`))))
      values.delete(key);
  }
  return {
    accounts: { ...accounts },
    ...(leaveOut.size ? { leaveOut: [...leaveOut.values()] } : {}),
    ...(values.size ? { values: [...values.values()] } : {}),
  };
}

/** Accounts in the order pickers offer them: sandbox accounts first, the one connected first leading; the others as listed. */
export function orderAccounts<A extends { isSandbox: boolean; createdAt: string }>(accounts: readonly A[]): A[] {
  const sandboxes = accounts.filter((a) => a.isSandbox).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return [...sandboxes, ...accounts.filter((a) => !a.isSandbox)];
}

/** The account each placeholder starts with: the first sandbox account connected, else the first account. */
export function defaultAccounts(
  placeholders: readonly string[],
  accounts: readonly { id: string; isSandbox: boolean; createdAt: string }[],
) {
  const first = orderAccounts(accounts)[0];
  return Object.fromEntries(placeholders.map((p) => [p, first?.id ?? '']));
}

/** A mismatch's field in words: the column for a written field, else the input's path. */
export function fieldLabel(field: string): string {
  const inInputs = field.replace(/^params\.inputs\./, '');
  if (!inInputs) return 'the step';
  const written = /^fields\.([^.]+)$/.exec(inInputs);
  if (written) return written[1]!;
  return inInputs
    .split('.')
    .map((s) => (/^\d+$/.test(s) ? `#${Number(s) + 1}` : s))
    .join(' › ');
}
