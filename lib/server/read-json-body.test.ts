import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { readJsonBody } from './read-json-body';

const post = (body: BodyInit | null, contentType = 'application/json') =>
  new Request('http://localhost/api/x', { method: 'POST', body, headers: { 'content-type': contentType } });

async function errorOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('readJsonBody', () => {
  it('parses JSON', async () => {
    expect(await readJsonBody(post('{"a":1}'))).toEqual({ a: 1 });
  });
  it('reads an empty body as undefined', async () => {
    expect(await readJsonBody(post(null))).toBeUndefined();
  });
  it('refuses malformed JSON with 400', async () => {
    expect((await errorOf(readJsonBody(post('{"a":')))).status).toBe(400);
  });
  it('refuses a non-JSON content type with 415', async () => {
    expect((await errorOf(readJsonBody(post('{"a":1}', 'text/plain')))).status).toBe(415);
  });
  it('refuses a streamed body over the limit with 413', async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const req = new Request('http://localhost/api/x', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    const err = await errorOf(readJsonBody(req, 10_000));
    expect(err.status).toBe(413);
    expect(err.code).toBe('payload_too_large');
  });
});
