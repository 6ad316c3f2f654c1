import type { NextRequest } from 'next/server';
import type { Db } from '@/lib/db/database';
import type { AccountContext } from '@/lib/dynamics/accounts/account-context';
import { appOrigin } from '@/lib/dynamics/accounts/sandbox-defaults';

/** The accounts service's context for one request: who asks, and where the app itself lives. */
export function accountContext(req: NextRequest, db: Db, ownerId: string): AccountContext {
  return { db, ownerId, appOrigin: appOrigin(req.nextUrl.origin) };
}
