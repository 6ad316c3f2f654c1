import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import { getDb, type Db } from '@/lib/db/database';
import { ApiError, toErrorResponse, zodDetails } from './api-error';
import { authorizeCaller } from './authorize-caller';
import { readJsonBody } from './read-json-body';
import type { AuthUser } from './current-user';

interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

interface HandlerArgs<TBody, TParams, TAuth extends boolean> {
  req: NextRequest;
  db: Db;
  user: TAuth extends true ? AuthUser : AuthUser | null;
  body: TBody;
  params: TParams;
}

interface RouteConfig<TBody, TParams, TAuth extends boolean> {
  /** false only for sign-up, health and explicitly public endpoints. */
  auth: TAuth;
  body?: z.ZodType<TBody>;
  params?: z.ZodType<TParams>;
}

/**
 * The one wrapper every API route handler goes through: it authenticates (session or personal API
 * token), refuses cross-origin cookie mutations, reads the body with a size limit, validates body
 * and path parameters with zod, and turns every failure into `{ error: { code, message } }`.
 * Authorization lives here, not only in proxy.ts, because a proxy can be bypassed.
 */
export function apiRoute<TBody = undefined, TParams = Record<string, never>, TAuth extends boolean = true>(
  config: RouteConfig<TBody, TParams, TAuth>,
  handler: (args: HandlerArgs<TBody, TParams, TAuth>) => Promise<unknown>,
) {
  return async (req: NextRequest, context: RouteContext): Promise<Response> => {
    try {
      const db = await getDb();
      const user = await authorizeCaller(req, db, config.auth);

      // The body is read (size limit first) before anything else is judged, so an oversized request is 413 everywhere.
      const raw = ['GET', 'HEAD', 'DELETE'].includes(req.method) ? undefined : await readJsonBody(req);
      const rawParams = await context.params;
      const params = config.params ? parseOr400(config.params, rawParams ?? {}, 'invalid_parameters') : ({} as TParams);
      const body = config.body
        ? parseOr400(config.body, raw, 'validation_failed')
        : ((raw === undefined ? undefined : rejectBody()) as TBody);

      const result = await handler({ req, db, user: user as HandlerArgs<TBody, TParams, TAuth>['user'], body, params });
      if (result instanceof Response) return result;
      return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}

function parseOr400<T>(schema: z.ZodType<T>, value: unknown, code: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const message = value === undefined ? 'A JSON body is required.' : 'The request is not valid.';
    throw new ApiError(400, code, message, zodDetails(parsed.error));
  }
  return parsed.data;
}

function rejectBody(): never {
  throw new ApiError(400, 'unexpected_body', 'This endpoint takes no request body.');
}

export const created = (data: unknown) => Response.json(data, { status: 201, headers: { 'Cache-Control': 'no-store' } });
export const noContent = () => new Response(null, { status: 204 });
