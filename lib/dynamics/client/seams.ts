/**
 * The client's test seams, as types only: time, the wire and DNS. ClientOptions takes them, and
 * clock.ts, transport/http-transport.ts and url-safety/resolve-public.ts implement them; keeping
 * the interfaces here lets types.ts name them without importing any implementation.
 */
import type { LookupAddress } from 'node:dns';

/** Time as a port, so retry schedules and token expiry are testable with a fake clock. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export interface WireRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeoutMs: number;
}

export interface WireResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface Transport {
  send(req: WireRequest): Promise<WireResponse>;
}

/** Resolves a host name to all its addresses (injectable for tests). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;
