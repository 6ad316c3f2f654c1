import type { ExpressionScope } from '../expressions/types';
import type { RunState, StepKey } from '../engine/run-state';

export interface ScopeRun {
  id: string;
  flowId: string;
  mode: string;
}

/**
 * What the expressions of the step `key` see: `$steps.<nodeId>` is the latest execution of that node
 * visible from the step's scope — top-level steps, then those of each enclosing For each iteration
 * (`fe#3/`), innermost last, so a body step reads its own iteration's siblings and never another
 * iteration's. `$trigger` is the trigger step's output. Pure.
 */
export function scopeFor(
  state: RunState,
  key: StepKey,
  run: ScopeRun,
  triggerId: string | undefined,
  item?: { item?: unknown; index?: number },
): ExpressionScope {
  const prefixes = enclosingPrefixes(key);
  const depthOf = new Map(prefixes.map((p, i) => [p, i]));
  const steps: ExpressionScope['steps'] = {};
  const depthSeen: Record<string, number> = {};
  for (const [k, s] of Object.entries(state.steps)) {
    const cut = k.lastIndexOf('/') + 1;
    const depth = depthOf.get(k.slice(0, cut));
    if (depth === undefined) continue;
    if ((depthSeen[s.nodeId] ?? -1) > depth) continue;
    depthSeen[s.nodeId] = depth;
    steps[s.nodeId] = {
      status: s.continued ? 'failed' : s.status,
      ...(s.output !== undefined ? { output: s.output } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
    };
  }
  const trigger = triggerId === undefined ? null : (state.steps[triggerId]?.output ?? null);
  return {
    trigger,
    steps,
    vars: state.vars,
    run,
    ...(item?.item !== undefined ? { item: item.item } : {}),
    ...(item?.index !== undefined ? { index: item.index } : {}),
  };
}

/** `fe1#3/fe2#0/a` → ['', 'fe1#3/', 'fe1#3/fe2#0/']: the scopes a step key sits in, outermost first. */
export function enclosingPrefixes(key: StepKey): string[] {
  const out = [''];
  let at = key.indexOf('/');
  while (at !== -1) {
    out.push(key.slice(0, at + 1));
    at = key.indexOf('/', at + 1);
  }
  return out;
}
