/**
 * Connector and Dataverse failures as API errors: the flow's or the user's mistakes are 4xx,
 * Dynamics' own failures are 502 (503 when transient) with Microsoft's code and our plain-words
 * explanation — never a 500, and never request data (it may hold secrets).
 */
import { isDataverseError } from '../client/errors/dataverse-error';
import { MetadataShapeError } from '../metadata/discover';
import { InvalidNameError } from '../metadata/names';
import { UnusableTableError } from '../metadata/normalize-table-schema';
import { ApiError } from '../../server/api-error';
import { ActionError } from './errors';

/** @example catch (err) { throw toApiError(err); } */
export function toApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof ActionError)
    return new ApiError(err.code === 'unknown_table' || err.code === 'unknown_action' ? 404 : 400, err.code, err.message, err.details);
  if (err instanceof InvalidNameError) return new ApiError(400, 'invalid_name', err.message);
  if (err instanceof UnusableTableError) return new ApiError(404, 'unknown_table', err.message);
  if (err instanceof MetadataShapeError) return new ApiError(502, 'dynamics_invalid_metadata', err.message);
  if (isDataverseError(err)) {
    const status = err.status === 401 || err.status === 403 ? 502 : err.transient ? 503 : 502;
    return new ApiError(status, 'dynamics_error', err.explanation, {
      status: err.status,
      code: err.code,
      message: err.serviceMessage,
      transient: err.transient,
    });
  }
  return err;
}
