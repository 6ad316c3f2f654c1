import { ApiError } from '@/lib/server/api-error';
import type { DataverseErrorInfo } from '@/lib/dynamics/client/types';
import type { ConnectFieldName } from './connect-methods';

type Field = ConnectFieldName | 'identityEndpoint';

/** Which form field a failed sign-in points at, so the dialog can mark it. */
const FIELD_BY_AADSTS: Record<number, Field> = {
  50126: 'password',
  50034: 'username',
  50053: 'username',
  50055: 'password',
  50057: 'username',
  700016: 'clientId',
  7000215: 'clientSecret',
  7000216: 'clientSecret',
  7000218: 'clientSecret',
  7000222: 'clientSecret',
  70002: 'clientSecret',
  90002: 'identityEndpoint',
  9001023: 'identityEndpoint',
  70000: 'refreshToken',
  9002313: 'refreshToken',
  70008: 'refreshToken',
  700082: 'refreshToken',
};

const FIELD_BY_CODE: Record<string, Field> = {
  invalid_client: 'clientSecret',
  unsafe_url: 'serviceUrl',
  network: 'serviceUrl',
  timeout: 'serviceUrl',
};

export function fieldOf(error: DataverseErrorInfo & { aadsts?: number }): Field | undefined {
  if (error.aadsts !== undefined && FIELD_BY_AADSTS[error.aadsts]) return FIELD_BY_AADSTS[error.aadsts];
  const aadsts = /AADSTS(\d+)/.exec(error.serviceMessage)?.[1];
  if (aadsts && FIELD_BY_AADSTS[Number(aadsts)]) return FIELD_BY_AADSTS[Number(aadsts)];
  if (FIELD_BY_CODE[error.code]) return FIELD_BY_CODE[error.code];
  if (error.status === 404) return 'serviceUrl';
  return undefined;
}

/** A verification failure as the API answers it: 422 with Microsoft's reason in plain words. */
export function verificationFailed(error: DataverseErrorInfo & { aadsts?: number }): ApiError {
  const field = fieldOf(error);
  return new ApiError(422, 'verification_failed', error.explanation || 'The connection could not be verified.', {
    ...(field ? { field } : {}),
    dataverseCode: error.code,
    transient: error.transient,
  });
}
