import type { JsonataFunctionInfo } from './jsonata-functions';
import { SCOPE_BINDINGS, tokenizeJsonata } from './jsonata-language';

/**
 * What the expression editor offers while typing after `$`: the scope's bindings, the data a step
 * can reference (`$steps.abc123.output.lastname`, with its label "New lead › Last name") and
 * JSONata's functions. Pure, so it is tested without a browser; the component turns the options
 * into CodeMirror completions (CodeMirror then ranks them by what was typed).
 */

export interface ExpressionReference {
  /** The full path: `$steps.abc123.output.lastname`, `$trigger.record.emailaddress1`. */
  path: string;
  /** In words: `New lead › Email`. */
  label: string;
  /** The field's type, when known: `text`, `number`, `lookup`… */
  type?: string;
}

export interface CompletionOption {
  /** What is inserted and matched against what was typed. */
  label: string;
  /** Shown next to it, dimmer: the reference's words, the function's signature. */
  detail?: string;
  info?: string;
  kind: 'variable' | 'function' | 'property';
  /** For functions: the text to insert (`$uppercase()`) and where the cursor goes in it. */
  insert?: string;
  cursor?: number;
  /** Bindings and data first, then functions. */
  boost?: number;
}

export interface CompletionContext {
  /** Where the word being completed starts (its `$`). */
  from: number;
  options: CompletionOption[];
}

const BINDING_INFO: Record<(typeof SCOPE_BINDINGS)[number], string> = {
  $trigger: 'The trigger’s output',
  $steps: 'Every step visible from here: .output, .status, .error',
  $vars: 'The variables set so far',
  $item: 'The current element (inside For each)',
  $index: 'The element’s position from 0 (inside For each)',
  $run: 'The run: id, flowId, mode',
};

/** A `$` word ending at the cursor: `$`, `$st`, `$steps.abc1`, `$steps.abc123.output.`. */
const DOLLAR_WORD = /\$[\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]*)*$/u;

/**
 * The completion at `pos` in `text`, or null when there is nothing to offer: the cursor is not
 * right after a `$` word, or it is inside a string, a comment or a backtick name.
 */
export function completeExpression(
  text: string,
  pos: number,
  references: readonly ExpressionReference[],
  functions: readonly JsonataFunctionInfo[],
): CompletionContext | null {
  const before = text.slice(0, pos);
  const match = DOLLAR_WORD.exec(before);
  if (!match) return null;
  const from = pos - match[0].length;
  const { state } = tokenizeJsonata(text.slice(0, from));
  if (state.inComment || state.inString || state.inBacktick) return null;

  const word = match[0];
  const dot = word.lastIndexOf('.');
  const refOptions = (list: readonly ExpressionReference[]): CompletionOption[] =>
    list.map((r) => ({
      label: r.path,
      detail: r.type ? `${r.label} · ${r.type}` : r.label,
      kind: 'property',
      boost: 1,
    }));

  // After a dot only paths go on: the references under what is typed so far (`$steps.` →
  // every step's data), so functions and other bindings do not crowd the list.
  if (dot >= 0) {
    const parent = word.slice(0, dot + 1);
    const under = references.filter((r) => r.path.startsWith(parent) && r.path.length > parent.length);
    return under.length > 0 ? { from, options: refOptions(under) } : null;
  }

  const bindings: CompletionOption[] = SCOPE_BINDINGS.map((name) => ({
    label: name,
    detail: BINDING_INFO[name],
    kind: 'variable',
    boost: 2,
  }));
  const fns: CompletionOption[] = functions.map((fn) => ({
    label: fn.name,
    detail: fn.signature,
    info: fn.description,
    kind: 'function',
    insert: `${fn.name}()`,
    cursor: fn.name.length + 1,
  }));
  return { from, options: [...bindings, ...refOptions(references), ...fns] };
}
