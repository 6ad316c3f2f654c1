/**
 * Which executor runs a node type: a declarative table, Dynamics action types matched by the
 * connector's own id parser, the rest by their fixed ids. The runtime resolves inputs, calls the
 * executor, records the outcome, retries (per `retryPolicyFor`, unless `retriesInside`) and routes.
 */
import { parseId } from '@/lib/dynamics/connector/ids';
import { dynamicsAction } from './dynamics-action';
import { httpRequest } from './http-request';
import type { StepExecutor } from './step-executor';
import { runFail, runForEach, runIf, runLog, runResponse, runSetVariable } from './toolbox';

export { retryDelayMs, retryPolicyFor, mayRetry, type StepRetryPolicy } from './retry-policy';

interface ExecutorEntry {
  matches(type: string): boolean;
  executor: StepExecutor;
  /** The executor's own client retries transient failures (the runtime must not retry them again). */
  retriesInside: boolean;
}

const fixed = (type: string, executor: StepExecutor): ExecutorEntry => ({ matches: (t) => t === type, executor, retriesInside: false });

const EXECUTORS: readonly ExecutorEntry[] = [
  { matches: (t) => parseId(t)?.action !== undefined, executor: dynamicsAction, retriesInside: true },
  fixed('http.request', httpRequest),
  fixed('toolbox.if', runIf),
  fixed('toolbox.for_each', runForEach),
  fixed('toolbox.set_variable', runSetVariable),
  fixed('toolbox.log', runLog),
  fixed('api.response', runResponse),
  fixed('toolbox.fail', runFail),
];

/** Triggers and unknown types have none. @example stepExecutorFor('dynamics.contact.create') */
export function stepExecutorFor(type: string): StepExecutor | undefined {
  return EXECUTORS.find((e) => e.matches(type))?.executor;
}

/**
 * True for Dynamics steps: the Dataverse client already retried inside the call per the step's
 * policy (R4: at most 4 tries per call by default), so the runtime records one attempt.
 */
export function retriesInside(type: string): boolean {
  return EXECUTORS.find((e) => e.matches(type))?.retriesInside ?? false;
}
