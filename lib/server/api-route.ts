import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import { getDb, type Db } from '@/lib/db/database';
import { ApiError, zodDetails } from './api-error';
import { toErrorResponse } from './error-response';
import { authorizeCaller } from './authorize-caller';
import { readJsonBody } from './read-json-body';
import type { AuthUser } from './current-user';

interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

interface HandlerArgs<TBody, TParams, TQuery, TAuth extends boolean> {
  req: NextRequest;
  db: Db;
  user: TAuth extends true ? AuthUser : AuthUser | null;
  body: TBody;
  params: TParams;
  query: TQuery;
  /** Aborts when the client goes away: pass it to calls that may take a while (Microsoft, Dataverse) so they stop retrying. */
  signal: AbortSignal;
}

interface RouteConfig<TBody, TParams, TQuery, TAuth extends boolean> {
  /** false only for sign-up, health and explicitly public endpoints. */
  auth: TAuth;
  body?: z.ZodType<TBody>;
  params?: z.ZodType<TParams>;
  /** The query string as an object of strings (a repeated key keeps its last value). Without it, any query is ignored. */
  query?: z.ZodType<TQuery>;
}

/**
 * The one wrapper every API route handler goes through: it authenticates (session or personal API
 * token), refuses cross-origin cookie mutations, reads the body with a size limit, validates body
 * and path parameters with zod, and turns every failure into `{ error: { code, message } }`.
 * Authorization lives here, not only in proxy.ts, because a proxy can be bypassed.
 */
export function apiRoute<TBody = undefined, TParams = Record<string, never>, TQuery = Record<string, never>, TAuth extends boolean = true>(
  config: RouteConfig<TBody, TParams, TQuery, TAuth>,
  handler: (args: HandlerArgs<TBody, TParams, TQuery, TAuth>) => Promise<unknown>,
) {
  return async (req: NextRequest, context: RouteContext): Promise<Response> => {
    try {
      const db = await getDb();
      const user = await authorizeCaller(req, db, config.auth);

      // The body is read (size limit first) before anything else is judged, so an oversized request is 413 everywhere.
      const raw = ['GET', 'HEAD', 'DELETE'].includes(req.method) ? undefined : await readJsonBody(req);
      const rawParams = await context.params;
      const params = config.params ? parseOr400(config.params, rawParams ?? {}, 'invalid_parameters') : ({} as TParams);
      const query = config.query
        ? parseOr400(config.query, Object.fromEntries(req.nextUrl.searchParams), 'invalid_query', 'The query parameters are not valid.')
        : ({} as TQuery);
      const body = config.body
        ? parseOr400(config.body, raw, 'validation_failed')
        : ((raw === undefined ? undefined : rejectBody()) as TBody);

      const result = await handler({
        req,
        db,
        user: user as HandlerArgs<TBody, TParams, TQuery, TAuth>['user'],
        body,
        params,
        query,
        signal: req.signal,
      });
      if (result instanceof Response) return result;
      return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}

function parseOr400<T>(schema: z.ZodType<T>, value: unknown, code: string, invalidMessage = 'The request is not valid.'): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const message = value === undefined ? 'A JSON body is required.' : invalidMessage;
    throw new ApiError(400, code, message, zodDetails(parsed.error));
  }
  return parsed.data;
}

function rejectBody(): never {
  throw new ApiError(400, 'unexpected_body', 'This endpoint takes no request body.');
}

export const created = (data: unknown) => Response.json(data, { status: 201, headers: { 'Cache-Control': 'no-store' } });
export const noContent = () => new Response(null, { status: 204 });
