import { z } from 'zod';
import { ApiError, errorResponse, zodDetails } from './api-error';
import { toApiError } from './domain-to-http';

/** Any failure as the API's error answer: known ones with their status, anything else a logged 500 without request data. */
export function toErrorResponse(thrown: unknown): Response {
  const err = toApiError(thrown);
  if (err instanceof ApiError) return errorResponse(err.status, err.code, err.message, err.details);
  if (err instanceof z.ZodError) return errorResponse(400, 'validation_failed', 'The request is not valid.', zodDetails(err));
  // Unexpected: log the kind of failure, never request data (it may hold secrets).
  console.error('[api] unexpected error:', err instanceof Error ? `${err.name}: ${err.message}` : typeof err);
  return errorResponse(500, 'internal_error', 'Something went wrong on our side. Try again; if it persists, check the server log.');
}
