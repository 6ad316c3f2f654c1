/**
 * Dataverse date formats.
 * - JSON: `YYYY-MM-DDTHH:MM:SSZ`, no fractional seconds (the dynamics-web-api client's date reviver
 *   only recognises this shape).
 * - Formatted values: en-US user locale, UTC time zone for the sandbox user (`4/7/2023 2:59 PM`).
 * - Change-tracking delta tokens: `version!MM/dd/yyyy HH:mm:ss`.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 *        https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
export function toDataverseDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** DateOnly columns are written as `YYYY-MM-DD` (Edm.Date). */
export function toDateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function formatUserDate(iso: string, dateOnly: boolean): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
  if (dateOnly) return date;
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${date} ${h12}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

export function deltaTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function parseDeltaTimestamp(s: string): number | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** Timestamp format of Microsoft identity errors: `2021-08-04 08:21:45Z` (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). */
export function aadTimestamp(ms: number): string {
  return toDataverseDate(ms).replace('T', ' ');
}

/** Parses an OData date/datetime literal or stored value to epoch ms (date-only = midnight UTC). */
export function parseDateValue(s: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Date.parse(`${s}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}
