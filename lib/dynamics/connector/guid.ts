import { createHash } from 'node:crypto';

/** Dataverse GUIDs: 8-4-4-4-12 hex digits, any version/variant (ids like `00aa00aa-bb11-…` are valid). */
export const GUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const isGuid = (v: unknown): v is string => typeof v === 'string' && GUID_PATTERN.test(v);

/**
 * A GUID derived from a stable key (a name-based, version-5-shaped id): the same run step always
 * creates the row with the same primary key, so a retry after a lost response cannot duplicate it.
 * @example deterministicGuid('run-1:step-2') === deterministicGuid('run-1:step-2') // true
 */
export function deterministicGuid(key: string): string {
  const h = createHash('sha1').update(`dynamics-flow-designer/create/${key}`).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
