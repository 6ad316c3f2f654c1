/**
 * Dispatches a Web API request (path after `/api/data/vX.Y/`) and turns thrown DataverseErrors
 * into Dataverse's error envelope, with the `@Microsoft.PowerApps.CDS.*` details when `Prefer:
 * odata.include-annotations` asks for them. Names are case-sensitive: an unknown entity set is 404
 * `0x8006088a`. Synchronous: the store is in memory, and a synchronous dispatch keeps `$batch`
 * change sets atomic.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
 */
import { executeBatch } from '../batch/execute';
import { DataverseError, err, errorBody } from '../errors';
import { handleMetadata } from '../metadata/metadata-query';
import { annotationMatcher, parsePrefer } from '../odata/prefer';
import { jsonResponse, type ApiContext, type ApiRequest, type ApiResponse } from './api-types';
import { handleEntitySet } from './entity-routes';
import { splitPath } from './segments';
import { metadataDocument, serviceDocument, whoAmI } from './service-routes';

const METADATA_ROOTS = new Set(['EntityDefinitions', 'RelationshipDefinitions', 'GlobalOptionSetDefinitions']);

export function errorResponse(e: DataverseError, req: ApiRequest): ApiResponse {
  const matcher = annotationMatcher(parsePrefer(req.headers.get('prefer')).annotations);
  return jsonResponse(e.status, errorBody(e, matcher('Microsoft.PowerApps.CDS.ErrorDetails.ApiExceptionMessageName')), e.headers);
}

function route(ctx: ApiContext, req: ApiRequest): ApiResponse {
  const segs = splitPath(req.path);
  const head = segs[0];
  if (!head || (head.name === '' && segs.length === 1)) {
    if (req.method !== 'GET') throw err.methodNotAllowed(req.method);
    return serviceDocument(ctx);
  }
  if (head.name === '$metadata' && segs.length === 1) return metadataDocument(ctx);
  if (head.name === '$batch' && segs.length === 1) {
    if (req.method !== 'POST') throw err.methodNotAllowed(req.method);
    return executeBatch(ctx, req, executeApi);
  }
  if (head.name === 'WhoAmI' && (head.key === null || head.key === '') && segs.length === 1) return whoAmI(ctx, req);
  if (METADATA_ROOTS.has(head.name)) return handleMetadata(ctx, req, segs);
  const info = ctx.store.schema.bySet.get(head.name);
  if (!info) throw err.segmentNotFound(head.name);
  return handleEntitySet(ctx, req, info, segs);
}

export function executeApi(ctx: ApiContext, req: ApiRequest): ApiResponse {
  try {
    const res = route(ctx, req);
    return res;
  } catch (e) {
    if (e instanceof DataverseError) return errorResponse(e, req);
    throw e;
  }
}
