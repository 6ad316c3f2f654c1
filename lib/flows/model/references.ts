import { isExpression, isReference, walkInput } from './input';

/**
 * Which steps an input reads: a reference's `step`, and every `$steps.<id>` in an expression
 * (also `$steps.\`<id>\`` and `$steps["<id>"]`). Found by pattern on the text: the model does not
 * parse JSONata, so an id inside a string literal of the expression counts too (a harmless false
 * alarm at worst, never a miss).
 */
const STEP_PATTERN = /\$steps\s*(?:\.\s*([A-Za-z0-9_]+)|\.\s*`([^`]+)`|\[\s*"([^"]+)"\s*\]|\[\s*'([^']+)'\s*\])/g;

export interface StepReference {
  step: string;
  /** Where in the inputs, e.g. `['url']` or `['condition', 'rules', 0, 'left']`. */
  path: PropertyKey[];
}

export function stepsInExpression(expr: string): string[] {
  return [...expr.matchAll(STEP_PATTERN)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4])!);
}

/** @example referencesIn({ url: { expr: '$steps.a1.output.url' } }) // [{ step: 'a1', path: ['url'] }] */
export function referencesIn(inputs: unknown): StepReference[] {
  const found: StepReference[] = [];
  walkInput(inputs, [], (node, path) => {
    if (isExpression(node)) {
      for (const step of stepsInExpression(node.expr)) found.push({ step, path });
      return true;
    }
    if (isReference(node)) {
      found.push({ step: node.ref.step, path });
      return true;
    }
    return 'literal' in node && Object.keys(node).length === 1;
  });
  return found;
}
