/**
 * GUID helpers. Dataverse writes GUIDs lower-case in JSON and accepts them in any case in URLs and
 * `@odata.bind` values.
 */
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID_RE.test(value);
}

/** Accepts `{GUID}` and bare GUIDs; returns the lower-case bare form or null. */
export function normalizeGuid(value: string): string | null {
  const bare = value.startsWith('{') && value.endsWith('}') ? value.slice(1, -1) : value;
  return GUID_RE.test(bare) ? bare.toLowerCase() : null;
}

export function newGuid(): string {
  return crypto.randomUUID();
}

/** A GUID drawn from a seeded generator, so seed data is identical on every run. */
export function guidFrom(next: () => number): string {
  const hex: string[] = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
