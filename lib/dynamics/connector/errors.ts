/**
 * Failures of an action that are the flow's fault, not Dataverse's: bad input for this table,
 * too many matching rows, a create-only upsert that found a row… Each has a stable code and a
 * precise message; none is transient, so the engine does not retry them.
 */
export type ActionErrorCode =
  | 'invalid_input'
  | 'unknown_choice'
  | 'too_many_matches'
  | 'ambiguous_match'
  | 'no_match'
  | 'already_exists'
  | 'unknown_table'
  | 'unknown_action';

export class ActionError extends Error {
  readonly transient = false;
  constructor(
    readonly code: ActionErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}
