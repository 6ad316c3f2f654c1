import { z } from 'zod';

/** The one error shape every API route answers with: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Sign in or send a personal API token as "Authorization: Bearer <token>".') =>
  new ApiError(401, 'unauthorized', message);
export const forbidden = (code: string, message: string) => new ApiError(403, code, message);
export const notFound = (what = 'The resource') => new ApiError(404, 'not_found', `${what} was not found.`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

export function errorResponse(status: number, code: string, message: string, details?: unknown, headers?: HeadersInit): Response {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...Object.fromEntries(new Headers(headers)) } });
}

/** zod issues as a short, secret-free list: path and message, never the offending value. */
export function zodDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

export function toErrorResponse(err: unknown): Response {
  if (err instanceof ApiError) return errorResponse(err.status, err.code, err.message, err.details);
  if (err instanceof z.ZodError) return errorResponse(400, 'validation_failed', 'The request is not valid.', zodDetails(err));
  // Unexpected: log the kind of failure, never request data (it may hold secrets).
  console.error('[api] unexpected error:', err instanceof Error ? `${err.name}: ${err.message}` : typeof err);
  return errorResponse(500, 'internal_error', 'Something went wrong on our side. Try again; if it persists, check the server log.');
}
