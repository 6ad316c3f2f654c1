import type { FlowDocument } from '../model/schema';
import { decide, initialState, type Command, type EngineEvent } from './decide';
import type { RunState, StepFailure } from './run-state';

/**
 * Drives the engine with a scripted world instead of the runtime: what each step "returns" comes
 * from `script`, time advances 1 ms per event, and commands are handled first in, first out. Pure,
 * so a flow, its trigger data and a script always give the same step log — the golden fixtures
 * (test/fixtures/engine/) are that log, replayed on every change of the engine (R9).
 */
export interface ScriptedOutcome {
  output?: unknown;
  branch?: 'then' | 'else';
  items?: unknown[];
  variable?: { name: string; value: unknown };
  response?: { status: number; headers: Record<string, string>; body: unknown };
  /** Fail this attempt; `retryInMs` asks for another one. */
  fail?: StepFailure & { retryInMs?: number };
}

export type Script = (nodeId: string, attempt: number, ctx: { item?: unknown; index?: number; state: RunState }) => ScriptedOutcome;

export interface SimulationResult {
  state: RunState;
  /** One line per decision the engine took: `execute <key> #<attempt>`, `respond <status>`, `finish <status>`. */
  log: string[];
}

export function simulate(doc: FlowDocument, trigger: unknown, script: Script, opts: { maxEvents?: number } = {}): SimulationResult {
  let at = 0;
  const log: string[] = [];
  const queue: Command[] = [];
  let state = initialState(at);
  const apply = (event: EngineEvent) => {
    const decision = decide(doc, state, event);
    state = decision.state;
    for (const c of decision.commands) {
      log.push(
        c.type === 'execute'
          ? `execute ${c.key} #${c.attempt}`
          : c.type === 'respond'
            ? `respond ${c.response.status}`
            : `finish ${c.status}`,
      );
      if (c.type === 'execute') queue.push(c);
    }
  };
  apply({ type: 'start', at: at++, trigger });
  for (let n = 0; queue.length > 0 && n < (opts.maxEvents ?? 100_000); n++) {
    const c = queue.shift()! as Extract<Command, { type: 'execute' }>;
    const outcome = script(c.nodeId, c.attempt, { item: c.item, index: c.index, state });
    if (outcome.fail) {
      const { retryInMs, ...error } = outcome.fail;
      apply({ type: 'failed', at: at++, key: c.key, error, ...(retryInMs !== undefined ? { retryInMs } : {}) });
    } else {
      apply({ type: 'succeeded', at: at++, key: c.key, output: outcome.output ?? null, ...withoutOutput(outcome) });
    }
  }
  return { state, log };
}

function withoutOutput({ output: _output, fail: _fail, ...rest }: ScriptedOutcome) {
  return rest;
}
