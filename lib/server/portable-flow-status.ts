import { isDomainError } from '@/lib/errors/domain-error';
import { ApiError } from './api-error';

/**
 * Import's refusals are the caller's mistakes (400, from their domain kind) except a file over the
 * documented size limit, which is 413 like every other oversized request.
 */
export async function withPortableFlowStatus<T>(call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isDomainError(err) && err.code === 'too_large') throw new ApiError(413, err.code, err.message, err.details);
    throw err;
  }
}
