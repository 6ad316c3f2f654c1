/**
 * The smallest single change that turns `from` into `to`: the common start and end are kept and
 * only the middle is replaced. The expression editor applies an outside value this way, so
 * CodeMirror maps the cursor through the change instead of losing it to a whole-document swap.
 */
export function minimalChange(from: string, to: string): { from: number; to: number; insert: string } | null {
  if (from === to) return null;
  const max = Math.min(from.length, to.length);
  let start = 0;
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  return { from: start, to: from.length - end, insert: to.slice(start, to.length - end) };
}
