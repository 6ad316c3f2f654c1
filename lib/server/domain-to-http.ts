/**
 * The one place where failures of the layers below become HTTP answers. Services, the connector
 * and the metadata layer throw domain errors; here each kind gets its status: the caller's
 * mistakes are 4xx, Dynamics' own failures 502 (503 when transient) with Microsoft's code and our
 * plain-words explanation — never a 500, and never request data (it may hold secrets).
 */
import { DomainError, type DomainErrorKind } from '@/lib/errors/domain-error';
import { isDataverseError, type DataverseError } from '@/lib/dynamics/client/errors/dataverse-error';
import { ActionError } from '@/lib/dynamics/connector/errors';
import { MetadataShapeError } from '@/lib/dynamics/metadata/discover';
import { InvalidNameError } from '@/lib/dynamics/metadata/names';
import { UnusableTableError } from '@/lib/dynamics/metadata/normalize-table-schema';
import { ApiError } from './api-error';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  upstream: 502,
  unavailable: 503,
};

/** How each error type of the layers below reads as an API error, first match wins. */
const MAPPINGS: readonly { matches: (err: unknown) => boolean; toApi: (err: never) => ApiError }[] = [
  { matches: (e) => e instanceof DomainError, toApi: (e: DomainError) => new ApiError(STATUS[e.kind], e.code, e.message, e.details) },
  {
    matches: (e) => e instanceof ActionError,
    toApi: (e: ActionError) =>
      new ApiError(e.code === 'unknown_table' || e.code === 'unknown_action' ? 404 : 400, e.code, e.message, e.details),
  },
  { matches: (e) => e instanceof InvalidNameError, toApi: (e: InvalidNameError) => new ApiError(400, 'invalid_name', e.message) },
  { matches: (e) => e instanceof UnusableTableError, toApi: (e: UnusableTableError) => new ApiError(404, 'unknown_table', e.message) },
  {
    matches: (e) => e instanceof MetadataShapeError,
    toApi: (e: MetadataShapeError) => new ApiError(502, 'dynamics_invalid_metadata', e.message),
  },
  {
    matches: isDataverseError,
    toApi: (e: DataverseError) =>
      new ApiError(e.transient && e.status !== 401 && e.status !== 403 ? 503 : 502, 'dynamics_error', e.explanation, {
        status: e.status,
        code: e.code,
        message: e.serviceMessage,
        transient: e.transient,
      }),
  },
];

/**
 * An error of any layer as an ApiError; anything unknown is returned as it is (a 500 to log).
 * @example catch (err) { return toErrorResponse(toApiError(err)); }
 */
export function toApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  const mapping = MAPPINGS.find((m) => m.matches(err));
  return mapping ? mapping.toApi(err as never) : err;
}
