/* Recorded errors come from the engine as `{ code, message, ... }`, from older runs possibly as text: read both. */

/** The message of a recorded error, or the error as text. */
export function errorMessage(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message;
  return JSON.stringify(error);
}

export function errorCode(error: unknown): string | null {
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string')
    return (error as { code: string }).code;
  return null;
}
