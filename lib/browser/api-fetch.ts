import type { ErrorBody } from '@/lib/errors/error-body';

/** Error thrown by apiFetch: carries the API's `{ error: { code, message, details } }`. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Browser-side JSON fetch against our own API; non-2xx answers become ApiRequestError. */
export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => null)) as Partial<ErrorBody> | null;
  if (!response.ok) {
    throw new ApiRequestError(
      response.status,
      data?.error?.code ?? 'http_error',
      data?.error?.message ?? `Request failed (${response.status}).`,
      data?.error?.details,
    );
  }
  return data as T;
}
