/**
 * Each app user's own sandbox organization is selected by an identity tenant: a GUID derived from
 * the user's id under a server secret, so no one can guess another user's (server-only: node:crypto).
 * The GUID carries its own check (eight random-looking bytes and an eight-byte HMAC of them), so the
 * sandbox's mount can tell one of ours from any other GUID without a database look-up.
 *
 * The secret is SANDBOX_TENANT_SECRET, else 32 random bytes kept in `${DATA_DIR}/sandbox/tenant-secret`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDataDir } from '@/lib/config/data-dir';

let cached: Buffer | null = null;

function secret(): Buffer {
  if (cached) return cached;
  const fromEnv = process.env.SANDBOX_TENANT_SECRET?.trim();
  if (fromEnv) return (cached = Buffer.from(fromEnv, 'utf8'));
  const dir = join(resolveDataDir(), 'sandbox');
  const file = join(dir, 'tenant-secret');
  try {
    cached = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  } catch {
    mkdirSync(dir, { recursive: true });
    const fresh = randomBytes(32).toString('base64url');
    try {
      writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
      cached = Buffer.from(fresh, 'base64url');
    } catch {
      // Another process wrote it first.
      cached = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    }
  }
  return cached;
}

const mac = (label: string, value: string): Buffer => createHmac('sha256', secret()).update(`${label}\u0000${value}`).digest();

function guid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The tenant GUID of a user's own sandbox organization. */
export function sandboxTenantFor(userId: string): string {
  const body = mac('sandbox-tenant', userId).subarray(0, 8).toString('hex');
  const tag = mac('sandbox-tenant-check', body).subarray(0, 8).toString('hex');
  return guid(body + tag);
}

/** Whether a tenant segment is one that sandboxTenantFor gave some user. */
export function isSandboxTenant(segment: string): boolean {
  const hex = segment.toLowerCase().replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex) || guid(hex) !== segment.toLowerCase()) return false;
  const expected = mac('sandbox-tenant-check', hex.slice(0, 16)).subarray(0, 8);
  return timingSafeEqual(expected, Buffer.from(hex.slice(16), 'hex'));
}
