'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { apiFetch, ApiRequestError } from '@/lib/browser/api-fetch';
import type { RunView } from '@/lib/flows/service/run-view';
import { applyRunEvent, parseRunEvent } from '@/lib/runs/apply-run-event';
import { runKeys } from './run-keys';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export type LiveState = 'idle' | 'connecting' | 'live' | 'reconnecting';

/**
 * One run, kept current while it is not finished: the page reads the run once, then follows
 * /api/runs/{id}/events (its first event is the full view again, so nothing between the read and the
 * subscription is lost). The stream ends by itself after the terminal `run` event; we close it then
 * so the browser does not reconnect to a finished run.
 */
export function useLiveRun(runId: string) {
  const queryClient = useQueryClient();
  const key = runKeys.detail(runId);
  const run = useQuery({
    queryKey: key,
    queryFn: async () => (await apiFetch<{ run: RunView }>(`/api/runs/${runId}`)).run,
    staleTime: 5_000,
    // A 404 (not yours, or deleted) will not change on a second try.
    retry: (count, error) => count < 1 && !(error instanceof ApiRequestError && error.status < 500),
  });
  const status = run.data?.status;
  const finished = status === undefined || TERMINAL.has(status);
  const [live, setLive] = useState<LiveState>('idle');

  useEffect(() => {
    if (finished) return;
    const source = new EventSource(`/api/runs/${runId}/events`);
    const onEvent = (event: MessageEvent<string>) => {
      const parsed = parseRunEvent(event.type, event.data);
      if (!parsed) return;
      setLive('live');
      const next = applyRunEvent(queryClient.getQueryData<RunView>(key), parsed);
      if (next) queryClient.setQueryData(key, next);
      if (parsed.type === 'run' && TERMINAL.has(parsed.data.status)) {
        source.close();
        setLive('idle');
        // The flow's run list shows this run too: let it catch up.
        void queryClient.invalidateQueries({ queryKey: ['runs', 'list'] });
      }
    };
    source.addEventListener('run', onEvent);
    source.addEventListener('step', onEvent);
    source.onopen = () => setLive('live');
    source.onerror = () => {
      // CLOSED: the server refused (the run is gone, or the session ended) — read the run once more instead.
      if (source.readyState === EventSource.CLOSED) {
        setLive('idle');
        void queryClient.invalidateQueries({ queryKey: key });
      } else setLive('reconnecting');
    };
    return () => {
      source.close();
    };
    // `key` is derived from runId; listing it would reopen the stream on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId, finished, queryClient]);

  return { run, live: finished ? 'idle' : live === 'idle' ? 'connecting' : live };
}
