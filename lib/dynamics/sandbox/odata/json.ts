/**
 * JSON output with Dataverse's number formatting: Money values are written with four decimals
 * (`"revenue":5000000.0000`). Values are marked with a sentinel string and the marker is replaced
 * after a native JSON.stringify, which stays fast for 5,000-row pages.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 */
const MARK = '\u0000M';
const MARK_RE = /"\\u0000M(-?[0-9.]+)"/g;

export function money(n: number): string {
  return MARK + n.toFixed(4);
}

export function stringify(value: unknown): string {
  const s = JSON.stringify(value);
  return s.includes('\\u0000M') ? s.replace(MARK_RE, '$1') : s;
}
