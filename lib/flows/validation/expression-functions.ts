/**
 * The functions an expression may call: JSONata 2.2's built-ins (https://docs.jsonata.org/string-functions
 * and the pages beside it) and the ones the expression defines itself (`$f := function($x) {…}`).
 * A call of anything else would fail only when the step runs; here it is a problem at once. The
 * engine exports nothing extra today: a function it adds to the environment belongs in OFFERED_FUNCTIONS.
 */
export const JSONATA_FUNCTIONS: readonly string[] = [
  // String
  'string', 'length', 'substring', 'substringBefore', 'substringAfter', 'uppercase', 'lowercase', 'trim', 'pad', 'contains',
  'split', 'join', 'match', 'replace', 'eval', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl',
  'decodeUrlComponent', 'decodeUrl', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger',
  // Numeric and aggregation
  'number', 'abs', 'floor', 'ceil', 'round', 'power', 'sqrt', 'random', 'sum', 'max', 'min', 'average',
  // Boolean
  'boolean', 'not', 'exists',
  // Array
  'count', 'append', 'sort', 'reverse', 'shuffle', 'distinct', 'zip',
  // Object
  'keys', 'lookup', 'spread', 'merge', 'sift', 'each', 'error', 'assert', 'type',
  // Date and time
  'now', 'millis', 'fromMillis', 'toMillis',
  // Higher order
  'map', 'filter', 'single', 'reduce',
]; // prettier-ignore

/** Functions the flow engine adds to JSONata's (none yet). */
export const OFFERED_FUNCTIONS: readonly string[] = [];

const OFFERED = new Set([...JSONATA_FUNCTIONS, ...OFFERED_FUNCTIONS]);

interface AstNode {
  type?: unknown;
  value?: unknown;
  position?: unknown;
  procedure?: AstNode;
  lhs?: unknown;
  arguments?: unknown;
}

const isNode = (v: unknown): v is AstNode => typeof v === 'object' && v !== null;

/** Calls of functions neither offered nor defined in the expression, with where they are. */
export function unknownFunctionCalls(ast: unknown): { name: string; position?: number }[] {
  const bound = new Set<string>();
  const calls: { name: string; position?: number }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    if (node.type === 'bind' && isNode(node.lhs) && typeof node.lhs.value === 'string') bound.add(node.lhs.value);
    if (node.type === 'lambda' && Array.isArray(node.arguments)) {
      for (const a of node.arguments) if (isNode(a) && typeof a.value === 'string') bound.add(a.value);
    }
    if (
      (node.type === 'function' || node.type === 'partial') &&
      node.procedure?.type === 'variable' &&
      typeof node.procedure.value === 'string'
    ) {
      const position = typeof node.procedure.position === 'number' ? node.procedure.position : undefined;
      calls.push({ name: node.procedure.value, ...(position !== undefined ? { position } : {}) });
    }
    for (const v of Object.values(node)) if (typeof v === 'object') visit(v);
  };
  visit(ast);
  // `$()` calls the context value; a bound name may be a function defined anywhere in the expression.
  return calls.filter((c) => c.name !== '' && !OFFERED.has(c.name) && !bound.has(c.name));
}
