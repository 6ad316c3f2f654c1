'use client';

import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `intervalMs` while `live` is true: relative times ("2 minutes
 * ago") and the bars of a running step move on without a new answer from the server.
 */
export function useNow(intervalMs: number, live = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, live]);
  return now;
}
