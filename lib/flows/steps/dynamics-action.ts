/**
 * Dynamics action steps (`dynamics.<table>.<create|retrieve|update|upsert|delete>`): the
 * connector's `executeAction` with the account's client. The client retries transient failures
 * inside each call per the step's policy, so the runtime does not retry these steps again
 * (`retriesInside`); every failure here is final for the step.
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/overview
 */
import { DataverseError } from '@/lib/dynamics/client/errors/dataverse-error';
import { ActionError } from '@/lib/dynamics/connector/errors';
import { executeAction } from '@/lib/dynamics/connector/execute-action';
import { isDomainError } from '@/lib/errors/domain-error';
import { retryPolicyFor } from './retry-policy';
import { stepClient } from './step-clients';
import { StepError, type StepExecutor } from './step-executor';

/** Domain errors of the account lookup, in step terms. */
const DOMAIN_CODES: Record<string, string> = { needs_reconnect: 'account_needs_reconnect', not_found: 'account_not_found' };

/** Turns what the client, the connector or the account lookup threw into a precise, secret-free StepError. */
export function dynamicsStepError(err: unknown): StepError {
  if (err instanceof StepError) return err;
  if (err instanceof DataverseError) {
    // The message is the client's: an explanation plus Dataverse's own text, tokens already redacted.
    return new StepError(`dataverse_${err.status || err.code}`, err.message, {
      retryable: false,
      status: err.status || undefined,
      data: err.toJSON(),
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    });
  }
  if (err instanceof ActionError) return new StepError(err.code, err.message, { retryable: false, data: err.details });
  if (isDomainError(err)) {
    const code = DOMAIN_CODES[err.code] ?? (err.kind === 'not_found' ? 'account_not_found' : err.code);
    return new StepError(code, err.message, { retryable: false, data: err.details });
  }
  return new StepError('step_error', 'The Dynamics step failed unexpectedly; the server log has the details.', {
    retryable: false,
    cause: err,
  });
}

export const dynamicsAction: StepExecutor = async (ctx, inputs) => {
  const accountId = ctx.node.params.accountId;
  if (!accountId) throw new StepError('invalid_input', 'A Dynamics step needs the account it runs as.');
  try {
    const client = await stepClient(ctx.db, ctx.ownerId, accountId, retryPolicyFor(ctx.node));
    const output = await executeAction({
      client,
      actionId: ctx.node.type,
      input: inputs,
      idempotencyKey: ctx.idempotencyKey,
      attempt: ctx.attempt,
      signal: ctx.signal,
    });
    return { output };
  } catch (err) {
    throw dynamicsStepError(err);
  }
};
