/**
 * Service document, `$metadata` and `WhoAmI`. `WhoAmI` answers with and without parentheses
 * (dynamics-web-api sends `WhoAmI()`); POST is 404 with Dataverse's "No HTTP resource was found…"
 * message.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/web-api-service-documents
 *        https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoamiresponse
 */
import { err } from '../errors';
import { csdl } from '../metadata/csdl';
import { jsonResponse, type ApiContext, type ApiRequest, type ApiResponse } from './api-types';

export function serviceDocument(ctx: ApiContext): ApiResponse {
  const sets = [...ctx.store.schema.tables.values()].map((t) => ({
    name: t.def.entitySetName,
    kind: 'EntitySet',
    url: t.def.entitySetName,
  }));
  sets.push(
    { name: 'EntityDefinitions', kind: 'EntitySet', url: 'EntityDefinitions' },
    { name: 'RelationshipDefinitions', kind: 'EntitySet', url: 'RelationshipDefinitions' },
    { name: 'GlobalOptionSetDefinitions', kind: 'EntitySet', url: 'GlobalOptionSetDefinitions' },
    { name: 'WhoAmI', kind: 'FunctionImport', url: 'WhoAmI' },
  );
  sets.sort((a, b) => a.name.localeCompare(b.name));
  return jsonResponse(200, JSON.stringify({ '@odata.context': `${ctx.apiBase}/$metadata`, value: sets }));
}

export function metadataDocument(ctx: ApiContext): ApiResponse {
  return { status: 200, headers: { 'Content-Type': 'application/xml', 'OData-Version': '4.0' }, body: csdl(ctx.store.schema) };
}

export function whoAmI(ctx: ApiContext, req: ApiRequest): ApiResponse {
  if (req.method !== 'GET') throw err.noResource(`${ctx.apiBase}/WhoAmI`);
  return jsonResponse(
    200,
    JSON.stringify({
      '@odata.context': `${ctx.apiBase}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: ctx.principal.businessUnitId,
      UserId: ctx.principal.systemuserid,
      OrganizationId: ctx.organizationId,
    }),
  );
}
