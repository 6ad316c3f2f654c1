/**
 * The hard ceilings of a run (R11), after Logic Apps' (run ≤ 1 h in our default, For each ≤ 5,000
 * items from the model, outputs ≤ 1 MB). A run that reaches one ends in a clean failed state with a
 * message saying which one.
 */
export interface RunLimits {
  /** Wall-clock time from the run's start. */
  maxDurationMs: number;
  /** Step executions (attempts and iterations included). */
  maxSteps: number;
  /** A step output, serialized (checked by the runtime, which serializes it anyway). */
  maxOutputBytes: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  maxDurationMs: 60 * 60_000,
  maxSteps: 20_000,
  maxOutputBytes: 1024 * 1024,
};
