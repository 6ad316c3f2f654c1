/**
 * The request pipeline of one account: concurrency slot → `Retry-After` gate (this process's and,
 * when shared limits are installed, the installation's) → access token → guarded transport, with retries of transient failures per `retry/policy.ts`, one
 * re-authentication on 401, and the duplicate-after-lost-answer rule for keyed writes (a retried
 * write whose first answer was lost settles as done, never runs twice). Only URLs under the
 * account's Web API root ever carry the token.
 */
import type { TokenProvider } from './tokens/token-provider';
import type { Clock } from './clock';
import { DataverseError } from './errors/dataverse-error';
import { errorFromResponse } from './errors/from-response';
import { backoffDelay, isRetryable, type FullRetryPolicy } from './retry/policy';
import type { AccountThrottle } from './throttle/account-registry';
import type { Transport, WireRequest, WireResponse } from './transport/http-transport';

export interface Call {
  method: WireRequest['method'];
  /** Relative to the Web API root (`accounts?$select=name`) or an absolute link under it (nextLink). */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * When an earlier attempt's outcome is unknown (dropped connection, timeout, 5xx) and a retry
   * fails with this error, the write evidently happened: return `settle(err)` instead of failing.
   */
  afterUnknownOutcome?: (err: DataverseError) => WireResponse | null;
}

export interface ExecutorDeps {
  apiRoot: string;
  transport: Transport;
  tokens: TokenProvider;
  throttle: AccountThrottle;
  policy: FullRetryPolicy;
  clock: Clock;
}

export function resolveUrl(apiRoot: string, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    // Absolute links from Dataverse (nextLink, deltaLink) must stay under this account's root.
    if (!path.startsWith(apiRoot))
      throw DataverseError.local('unsafe_url', 'Dataverse returned a link to another address; it was not followed.');
    return path;
  }
  if (path.startsWith('/')) throw DataverseError.local('invalid_request', 'Paths are relative to the Web API root.');
  return apiRoot + path;
}

/**
 * Waits until the account may send: this process's gate, then the installation's (a `Retry-After`
 * another process recorded). A shared closure is copied into the local gate, so the other calls of
 * this process wait on it without asking the shared limits again.
 */
async function passGates(throttle: AccountThrottle, clock: Clock, signal?: AbortSignal): Promise<void> {
  for (;;) {
    await throttle.gate.pass(clock, signal);
    const shared = throttle.shared;
    if (!shared || throttle.accountId === undefined) return;
    const answer = shared.gateOpensAt(throttle.accountId);
    const opensAt = typeof answer === 'number' ? answer : await answer;
    if (signal?.aborted) throw signal.reason;
    if (opensAt <= clock.now()) return;
    throttle.gate.closeUntil(opensAt);
  }
}

/** Closes the account's gate here at once and, when shared limits are installed, for every process. */
function closeGates(throttle: AccountThrottle, until: number): void {
  throttle.gate.closeUntil(until);
  if (throttle.accountId !== undefined) throttle.shared?.closeGate(throttle.accountId, until);
}

export class Executor {
  constructor(private readonly deps: ExecutorDeps) {}

  /** Sends a call and returns the successful (2xx) answer, or throws a DataverseError. */
  async send(call: Call): Promise<WireResponse> {
    const { transport, tokens, throttle, policy, clock } = this.deps;
    const url = resolveUrl(this.deps.apiRoot, call.path);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    let unknownOutcome = false;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      if (call.signal?.aborted) throw DataverseError.local('aborted', 'The call was cancelled.', call.signal.reason);
      let response: WireResponse | undefined;
      let failure: DataverseError;
      let token = '';
      // Whether this attempt's request reached the wire to Dataverse (a token failure did not).
      let dispatched = false;
      const release = await throttle.limiter.acquire(call.signal).catch((reason: unknown) => {
        throw DataverseError.local('aborted', 'The call was cancelled.', reason);
      });
      try {
        await passGates(throttle, clock, call.signal);
        token = await tokens.getAccessToken(call.signal);
        // The token may have taken a while: re-check the gates right before sending.
        await passGates(throttle, clock, call.signal);
        dispatched = true;
        // The Web API's standard request headers and error envelope.
        // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
        response = await transport.send({
          method: call.method,
          url,
          headers: {
            accept: 'application/json',
            'odata-maxversion': '4.0',
            'odata-version': '4.0',
            // One id per attempt, to correlate with the service's logs.
            'x-ms-client-request-id': crypto.randomUUID(),
            ...(body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
            ...call.headers,
            authorization: `Bearer ${token}`,
          },
          ...(body !== undefined ? { body } : {}),
          ...(call.signal ? { signal: call.signal } : {}),
          timeoutMs: policy.timeoutMs,
        });
      } catch (err) {
        if (!(err instanceof DataverseError)) {
          if (call.signal?.aborted) throw DataverseError.local('aborted', 'The call was cancelled.', err);
          throw err;
        }
        failure = err;
      } finally {
        release();
      }
      if (response) {
        if (response.status >= 200 && response.status < 300) {
          throttle.limiter.onSuccess();
          return response;
        }
        if (response.status >= 300 && response.status < 400 && response.status !== 304) {
          throw DataverseError.local('redirect', `Dataverse answered ${response.status}; the redirect was not followed.`);
        }
        failure = errorFromResponse(response.status, response.headers, response.body, clock.now());
        if (failure.status === 401 && !reauthenticated) {
          reauthenticated = true;
          tokens.invalidate(token);
          attempt--; // a re-authentication is not a retry
          continue;
        }
        // Service protection: after a 429 nothing is sent for this account before `Retry-After`, by
        // this process or (shared limits installed) any other.
        // Learn: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
        if (failure.status === 429) {
          throttle.limiter.onThrottled();
          closeGates(throttle, clock.now() + (failure.retryAfterMs ?? backoffDelay(policy, attempt, clock.random())));
        } else if (failure.retryAfterMs !== undefined && isRetryable(failure)) {
          closeGates(throttle, clock.now() + failure.retryAfterMs);
        }
      }
      // failure is definitely assigned here: either the catch or the response branch set it.
      const err = failure!;
      if (unknownOutcome && call.afterUnknownOutcome) {
        const settled = call.afterUnknownOutcome(err);
        if (settled) return settled;
      }
      if (!isRetryable(err) || attempt >= policy.maxAttempts) throw err;
      if (dispatched && (err.status === 0 || err.status >= 500 || err.status === 408)) unknownOutcome = true;
      // 429 and Retry-After waits happen at the gate; otherwise back off locally.
      if (err.status !== 429 && err.retryAfterMs === undefined) {
        await clock.sleep(backoffDelay(policy, attempt, clock.random()), call.signal).catch((reason: unknown) => {
          throw DataverseError.local('aborted', 'The call was cancelled.', reason);
        });
      }
    }
  }

  /** `send` + JSON body (or `null` for an empty answer). */
  async json<T>(call: Call): Promise<{ data: T | null; response: WireResponse }> {
    const response = await this.send(call);
    if (!response.body) return { data: null, response };
    try {
      return { data: JSON.parse(response.body) as T, response };
    } catch (cause) {
      throw new DataverseError({
        status: response.status,
        code: 'invalid_response',
        serviceMessage: 'The answer is not valid JSON.',
        transient: false,
        cause,
      });
    }
  }
}
