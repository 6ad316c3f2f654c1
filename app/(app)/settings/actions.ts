'use server';

import { getDb } from '@/lib/db/database';
import { revokeAllSessions } from '@/lib/db/repositories/sessions';
import { requireSessionUser } from '@/lib/server/session';

/**
 * "Sign out everywhere": revokes every session of the signed-in user, this one included. Personal
 * API tokens belong to the user rather than to a session and stay valid; they are revoked one by
 * one in the list below. Next checks a server action's origin, so another site cannot call it.
 */
export async function signOutEverywhere(): Promise<void> {
  const user = await requireSessionUser();
  await revokeAllSessions(await getDb(), user.id);
}
