/**
 * Test fixtures for the client suites: an in-memory `AccountStatePort` that records what the client
 * persisted, accounts for the in-process sandbox, a fake clock, and sandbox request-log helpers.
 * Used only by *.test.ts files.
 */
import type { TestSandbox } from './sandbox';
import type { Clock } from '../../lib/dynamics/client/clock';
import type { AccountConnection, AccountStatePort, AuthMethod, TokenSet } from '../../lib/dynamics/client/types';

export interface RecordingPort extends AccountStatePort {
  saved: TokenSet[];
  reconnects: string[];
}

export function recordingPort(): RecordingPort {
  const port: RecordingPort = {
    saved: [],
    reconnects: [],
    saveTokens: async (_id, tokens) => {
      port.saved.push(tokens);
    },
    markNeedsReconnect: async (_id, reason) => {
      port.reconnects.push(reason);
    },
  };
  return port;
}

export const SANDBOX_CREDS = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  username: 'sales@sandbox.local',
  password: 'sandbox',
};

let seq = 0;
/** A fresh account id per call, so per-account caches never leak between tests. */
export const newAccountId = (): string => `test-account-${process.pid}-${++seq}-${Date.now()}`;

export function sandboxAccount(
  t: TestSandbox,
  method: AuthMethod = 'password',
  secrets: AccountConnection['secrets'] = {},
): AccountConnection {
  return {
    id: newAccountId(),
    serviceUrl: t.service,
    apiVersion: 'v9.2',
    identityEndpoint: t.authority,
    method,
    clientId: SANDBOX_CREDS.clientId,
    secrets:
      method === 'password'
        ? { clientSecret: SANDBOX_CREDS.clientSecret, username: SANDBOX_CREDS.username, password: SANDBOX_CREDS.password, ...secrets }
        : { clientSecret: SANDBOX_CREDS.clientSecret, ...secrets },
  };
}

/** `host:port` of the sandbox, for the allow-list. */
export const hostOf = (t: TestSandbox): string => new URL(t.service).host;

export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  body: string;
  fault?: string;
  headers: Record<string, string>;
}

export async function requestLog(t: TestSandbox, query: Record<string, string> = {}): Promise<LoggedRequest[]> {
  const res = await t.hook(`requests?${new URLSearchParams(query)}`);
  return ((await res.json()) as { value: LoggedRequest[] }).value;
}

export async function setFaults(t: TestSandbox, rules: Record<string, unknown>[], seed = 7): Promise<void> {
  const res = await t.hook('faults', {
    method: 'PUT',
    body: JSON.stringify({ rules, seed }),
    headers: { 'content-type': 'application/json' },
  });
  if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

/** A clock whose `sleep` advances time instantly and records each delay. */
export function fakeClock(start = 1_700_000_000_000, random = 0.5): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    random: () => random,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += Math.max(0, ms);
    },
  };
}
