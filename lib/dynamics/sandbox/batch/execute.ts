/**
 * `$batch` execution: parts run in order through the same dispatcher as top-level requests; a change
 * set is atomic (any failure rolls back the whole set and is reported as a single error part);
 * `Content-ID` references (`$1`) work in URLs and `@odata.bind` values inside the change set; without
 * `Prefer: odata.continue-on-error` processing stops at the first failure and the outer status becomes
 * the failing status, with it the batch answers 200.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 */
import { DataverseError, codes } from '../errors';
import { parsePrefer } from '../odata/prefer';
import type { ApiContext, ApiRequest, ApiResponse, HeaderReader } from '../webapi/api-types';
import { boundaryOf, parseBatch, writePart, type HttpPart, type PartResponse } from './multipart';

type Executor = (ctx: ApiContext, req: ApiRequest) => ApiResponse;

class RollBack extends Error {
  constructor(readonly response: PartResponse) {
    super('change set rolled back');
  }
}

function headerReader(part: HttpPart, outer: HeaderReader): HeaderReader {
  return {
    get: (name) => {
      const n = name.toLowerCase();
      const own = part.requestHeaders.get(n);
      if (own !== undefined) return own;
      // Authorization and impersonation come from the outer request.
      return n === 'authorization' || n === 'mscrmcallerid' || n === 'callerobjectid' ? outer.get(name) : null;
    },
  };
}

/** Resolves a part URL (absolute, root-relative, API-relative or `$n`) to path + query. */
function resolveUrl(ctx: ApiContext, url: string, contentIds: Map<string, string>): { path: string; search: string } {
  let u = url;
  const ref = /^\$([^/?(]+)(.*)$/.exec(u);
  if (ref) {
    const target = contentIds.get(ref[1] ?? '');
    if (!target)
      throw new DataverseError(400, codes.odata, `Content-ID Reference: '$${ref[1] ?? ''}' does not exist in the batch context.`);
    u = target + (ref[2] ?? '');
  }
  const q = u.indexOf('?');
  const pathPart = q < 0 ? u : u.slice(0, q);
  const search = q < 0 ? '' : u.slice(q);
  const m = /\/api\/data\/v\d+\.\d+\/?(.*)$/.exec(pathPart);
  const path = m ? (m[1] ?? '') : pathPart.replace(/^\//, '');
  void ctx;
  return { path, search };
}

export function executeBatch(ctx: ApiContext, req: ApiRequest, execute: Executor): ApiResponse {
  const boundary = boundaryOf(req.headers.get('content-type'));
  if (!boundary)
    throw new DataverseError(
      400,
      codes.payload,
      "The batch request must have a 'Content-Type' header of 'multipart/mixed' with a boundary.",
    );
  const items = parseBatch(req.body, boundary);
  const count = items.reduce((n, i) => n + (i.kind === 'changeset' ? i.parts.length : 1), 0);
  if (count > 1000) throw new DataverseError(400, codes.odata, 'The number of requests in a batch exceeds the limit of 1000.');
  const continueOnError = parsePrefer(req.headers.get('prefer')).continueOnError;
  const responseBoundary = `batchresponse_${crypto.randomUUID()}`;
  const chunks: string[] = [];
  let outerStatus = 200;

  const run = (part: HttpPart, contentIds: Map<string, string> | null): PartResponse => {
    let target;
    try {
      target = resolveUrl(ctx, part.url, contentIds ?? new Map());
    } catch (e) {
      if (e instanceof DataverseError) {
        return {
          status: e.status,
          headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
          body: JSON.stringify({ error: { code: e.code, message: e.message } }),
          contentId: part.contentId,
        };
      }
      throw e;
    }
    const res = execute(
      { ...ctx, contentIds },
      { method: part.method, path: target.path, search: target.search, headers: headerReader(part, req.headers), body: part.body },
    );
    const entityId = res.headers['OData-EntityId'] ?? res.headers['x-sandbox-entity-url'];
    const headers: Record<string, string> = { REQ_ID: crypto.randomUUID() };
    // Creates inside a batch carry Location and OData-EntityId, as in Learn's $batch examples.
    if (entityId && part.method === 'POST' && res.status < 300) headers.Location = entityId;
    for (const [k, v] of Object.entries(res.headers)) if (!k.startsWith('x-sandbox-')) headers[k] = v;
    if (entityId && part.contentId && contentIds) contentIds.set(part.contentId, entityId);
    return { status: res.status, headers, body: res.body, contentId: part.contentId };
  };

  for (const item of items) {
    if (item.kind === 'request') {
      const r = run(item, null);
      chunks.push(writePart(responseBoundary, r));
      if (r.status >= 400 && !continueOnError) {
        outerStatus = r.status;
        break;
      }
      continue;
    }
    const csBoundary = `changesetresponse_${crypto.randomUUID()}`;
    const contentIds = new Map<string, string>();
    try {
      const results = ctx.store.transaction(() => {
        const out: PartResponse[] = [];
        for (const part of item.parts) {
          const r = run(part, contentIds);
          if (r.status >= 400) throw new RollBack(r);
          out.push(r);
        }
        return out;
      });
      chunks.push(
        `--${responseBoundary}\r\nContent-Type: multipart/mixed; boundary=${csBoundary}\r\n\r\n${results.map((r) => writePart(csBoundary, r)).join('')}--${csBoundary}--\r\n`,
      );
    } catch (e) {
      if (!(e instanceof RollBack)) throw e;
      // A failed change set is reported as one error part (no changeset wrapper).
      chunks.push(writePart(responseBoundary, e.response));
      if (!continueOnError) {
        outerStatus = e.response.status;
        break;
      }
    }
  }
  const body = `${chunks.join('')}--${responseBoundary}--\r\n`;
  return {
    status: outerStatus,
    headers: { 'Content-Type': `multipart/mixed; boundary=${responseBoundary}`, 'OData-Version': '4.0' },
    body,
  };
}
