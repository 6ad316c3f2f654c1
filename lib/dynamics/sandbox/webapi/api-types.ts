/** The Web API's internal request/response (the same for top-level requests and `$batch` parts). */
import type { Bases, Principal, SandboxConfig } from '../context';
import type { CrmFunctionContext } from '../odata/filter-types';
import type { OrgStore } from '../store';

export interface HeaderReader {
  get(name: string): string | null;
}

export interface ApiRequest {
  method: string;
  /** path after `/api/data/vX.Y/`, still percent-encoded, no leading slash */
  path: string;
  /** raw query string including the leading `?` (or empty) */
  search: string;
  headers: HeaderReader;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export interface ApiContext {
  store: OrgStore;
  bases: Bases;
  /** `${service}/api/data/v9.2` — the version the client used */
  apiBase: string;
  principal: Principal;
  crm: CrmFunctionContext;
  config: SandboxConfig;
  /** The organization's id (WhoAmI's OrganizationId): each organization profile has its own. */
  organizationId: string;
  /** `$batch` change set: Content-ID → absolute entity URL */
  contentIds: Map<string, string> | null;
}

export const JSON_TYPE = 'application/json; odata.metadata=minimal';

export function jsonResponse(status: number, body: string, extra: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', ...extra }, body };
}

export function emptyResponse(status: number, extra: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'OData-Version': '4.0', ...extra }, body: null };
}
