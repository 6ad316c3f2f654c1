'use client';

import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { accountKeys } from './catalog-keys';

export function useAccounts() {
  return useQuery({
    queryKey: accountKeys.all,
    queryFn: async () => (await apiFetch<{ accounts: AccountView[] }>('/api/accounts')).accounts,
  });
}
