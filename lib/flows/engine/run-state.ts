/**
 * The state of one run as the engine sees it: plain JSON, persisted after every step (runs.state_json)
 * and handed back on the next event, so a run resumes from it after a crash. Times are epoch ms given
 * by the caller's events: the engine has no clock.
 */
export const RUN_STATE_VERSION = 1;

/** A step key names one execution of a node: its id, prefixed by the For each iterations it runs in (`fe1#3/a2`). */
export type StepKey = string;

export type StepStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

export interface StepFailure {
  code: string;
  message: string;
  /** Extra data the failing step offered (an HTTP body, Dataverse's error), kept small by the runtime. */
  data?: unknown;
}

export interface StepState {
  nodeId: string;
  status: StepStatus;
  /** 1 on the first try. */
  attempt: number;
  output?: unknown;
  error?: StepFailure;
  /** A failed step whose on-error is "continue" or "route" lets the run go on. */
  continued?: boolean;
  /** If: the handle taken. */
  branch?: string;
  startedAt?: number;
  finishedAt?: number;
  /** `waiting`: when the next attempt is due. */
  retryAt?: number;
}

export interface LoopState {
  items: unknown[];
  /** The next item index to start. */
  next: number;
  /** Item indexes whose iteration is in progress. */
  active: number[];
  concurrency: number;
  done: number;
}

export interface RunFailure {
  code: string;
  message: string;
  nodeId?: string;
  stepKey?: StepKey;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface RunState {
  version: typeof RUN_STATE_VERSION;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: number;
  finishedAt?: number;
  steps: Record<StepKey, StepState>;
  /** Edge decisions, keyed by the scope prefix of the edge's source + the edge id. */
  edges: Record<string, 'taken' | 'skipped'>;
  vars: Record<string, unknown>;
  /** For each loops in progress, keyed by the For each's step key. */
  loops: Record<StepKey, LoopState>;
  /** Step executions started so far (attempts included): the runaway-flow ceiling counts these. */
  stepCount: number;
  response?: ApiResponse;
  error?: RunFailure;
}
