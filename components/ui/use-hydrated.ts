'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False while the server-rendered HTML is not yet interactive. Forms keep their submit button
 * disabled until then, so an early click can never submit natively (which would put a password
 * in the URL).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
