import type { NextRequest } from 'next/server';
import type { Db } from '@/lib/db/database';
import type { AccountContext } from './account-service';
import { appOrigin } from './sandbox-defaults';

export function accountContext(req: NextRequest, db: Db, ownerId: string): AccountContext {
  return { db, ownerId, appOrigin: appOrigin(req.nextUrl.origin) };
}
