import { unprocessable, type DomainError } from '@/lib/errors/domain-error';
import type { DataverseErrorInfo } from '../client/types';
import { authMethod } from '../connector/auth/connection-methods';
import { blamedField } from '../connector/auth/define-connection';

type Failure = DataverseErrorInfo & { aadsts?: number };

/** The AADSTS number of a Microsoft sign-in failure, from the error itself or its message. */
function aadstsOf(error: Failure): number | undefined {
  if (error.aadsts !== undefined) return error.aadsts;
  const found = /AADSTS(\d+)/.exec(error.serviceMessage)?.[1];
  return found ? Number(found) : undefined;
}

/** Which field of the method's form a failed sign-in points at, as the connection description declares it. */
export function fieldOf(method: string, error: Failure): string | undefined {
  const aadsts = aadstsOf(error);
  return blamedField(authMethod(method), { ...(aadsts !== undefined ? { aadsts } : {}), code: error.code, status: error.status });
}

/** A failed verification: Microsoft's reason in plain words, with the field to mark. */
export function verificationFailed(method: string, error: Failure): DomainError {
  const field = fieldOf(method, error);
  return unprocessable('verification_failed', error.explanation || 'The connection could not be verified.', {
    ...(field ? { field } : {}),
    dataverseCode: error.code,
    transient: error.transient,
  });
}
