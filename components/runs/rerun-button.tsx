'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { Icon } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';

/** Runs the same flow version again with the same trigger data, then opens the new run. */
export function RerunButton({ runId, onError }: { runId: string; onError: (message: string | null) => void }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const rerun = useMutation({
    mutationFn: () => apiFetch<{ runId: string }>(`/api/runs/${runId}/rerun`, { method: 'POST' }),
    onMutate: () => onError(null),
    onSuccess: ({ runId: next }) => {
      void queryClient.invalidateQueries({ queryKey: ['runs', 'list'] });
      router.push(`/runs/${next}`);
    },
    onError: (err) => onError(err instanceof ApiRequestError ? err.message : 'Could not start the run again. Try once more.'),
  });
  return (
    <button type="button" className="btn-primary" onClick={() => rerun.mutate()} disabled={rerun.isPending || rerun.isSuccess}>
      {rerun.isPending || rerun.isSuccess ? <Spinner /> : <Icon name="play" className="h-4 w-4" />}
      Re-run
    </button>
  );
}
