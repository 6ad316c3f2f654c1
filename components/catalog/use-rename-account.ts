'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '@/lib/browser/api-fetch';
import type { AccountView } from '@/lib/dynamics/accounts/account-view';
import { accountKeys } from './catalog-keys';

/** Renames optimistically; on failure the old name comes back (undo) and the error is shown. */
export function useRenameAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) =>
      apiFetch<{ account: AccountView }>(`/api/accounts/${id}`, { method: 'PATCH', body: { name } }),
    onMutate: async ({ id, name }) => {
      await queryClient.cancelQueries({ queryKey: accountKeys.all });
      const previous = queryClient.getQueryData<AccountView[]>(accountKeys.all);
      queryClient.setQueryData<AccountView[]>(accountKeys.all, (old) => old?.map((a) => (a.id === id ? { ...a, name } : a)));
      return { previous };
    },
    onError: (_err, _vars, context) => {
      if (context?.previous) queryClient.setQueryData(accountKeys.all, context.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
}
