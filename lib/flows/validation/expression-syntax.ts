import jsonata from 'jsonata';
import { isExpression, walkInput } from '../model/input';
import type { Problem } from '../model/problem';
import type { FlowDocument } from '../model/schema';
import { unknownFunctionCalls } from './expression-functions';

/**
 * Every `{ "expr": … }` in every node's inputs must parse as JSONata (the engine's 2.2.2). Parsing
 * only: `jsonata(text)` builds the syntax tree and throws on a syntax error; nothing is evaluated,
 * so no data and no time limit are involved. One problem per expression that does not parse.
 */
export function expressionSyntaxProblems(doc: Pick<FlowDocument, 'nodes'>): Problem[] {
  const problems: Problem[] = [];
  for (const node of doc.nodes) {
    walkInput(node.params.inputs, [], (value, path) => {
      if (isExpression(value)) {
        const label = node.name ? `"${node.name}" (${node.id})` : node.id;
        const field = ['params', 'inputs', ...path].map(String).join('.');
        const parsed = parse(value.expr);
        if ('error' in parsed) {
          problems.push({
            nodeId: node.id,
            field,
            code: 'expression_syntax',
            message: `An expression of ${label} cannot be read: ${parsed.error}.`,
          });
          return true;
        }
        for (const call of unknownFunctionCalls(parsed.ast)) {
          const where = call.position !== undefined ? ` (at character ${call.position})` : '';
          problems.push({
            nodeId: node.id,
            field,
            code: 'expression_unknown_function',
            message: `An expression of ${label} calls $${call.name}${where}, which is not a function expressions can use.`,
          });
        }
        return true;
      }
      // Nothing inside `{ "literal": … }` is an expression.
      return 'literal' in value && Object.keys(value).length === 1;
    });
  }
  return problems;
}

interface JsonataSyntaxError {
  code?: unknown;
  position?: unknown;
  token?: unknown;
  message?: unknown;
}

/** The syntax error of an expression in plain words (what is wrong, at which character, the text there), or undefined. */
export function syntaxError(text: string): string | undefined {
  const parsed = parse(text);
  return 'error' in parsed ? parsed.error : undefined;
}

/** The syntax tree of an expression, or its syntax error in words. */
function parse(text: string): { ast: unknown } | { error: string } {
  try {
    return { ast: jsonata(text).ast() };
  } catch (err) {
    const e = (typeof err === 'object' && err !== null ? err : {}) as JsonataSyntaxError;
    const what = typeof e.message === 'string' && e.message ? e.message.replace(/\.$/, '') : 'it is not valid JSONata';
    const position = typeof e.position === 'number' && e.position > 0 ? Math.min(e.position, text.length) : undefined;
    if (position === undefined) return { error: what };
    return { error: `${what}, at character ${position} of ${text.length} (${around(text, position)})` };
  }
}

/** A short excerpt of the text ending where the parser stopped, so a long expression is still readable. */
function around(text: string, position: number): string {
  const start = Math.max(0, position - 30);
  const excerpt = text.slice(start, position).replace(/\s+/g, ' ');
  return position >= text.length ? `at the end, after "${start > 0 ? '…' : ''}${excerpt}"` : `after "${start > 0 ? '…' : ''}${excerpt}"`;
}
