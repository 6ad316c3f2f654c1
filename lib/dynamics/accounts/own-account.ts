import { findAccount, readAccountSecrets, type Account, type AccountSecrets } from '@/lib/db/repositories/accounts';
import { notFound } from '@/lib/errors/domain-error';
import type { AccountContext } from './account-context';

/** One of the owner's accounts with its decrypted secrets; another owner's account is simply not found. */
export async function loadOwnAccount(
  ctx: Pick<AccountContext, 'db' | 'ownerId'>,
  id: string,
): Promise<{ account: Account; secrets: AccountSecrets }> {
  const account = await findAccount(ctx.db, ctx.ownerId, id);
  if (!account) throw notFound('The account');
  return { account, secrets: (await readAccountSecrets(ctx.db, ctx.ownerId, id)) ?? {} };
}
