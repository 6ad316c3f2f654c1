import { describe, expect, it } from 'vitest';
import { fastInvokeTarget } from './invoke-fast-path';

const id = '01JZ8Q3V6X0C5T9M2B7R4K1HFD';
const req = (method: string, url: string, headers: Record<string, string> = { 'x-flow-key': 'dfk_x' }) => ({ method, url, headers });

describe('fastInvokeTarget', () => {
  it('takes invoke calls that carry only a flow key', () => {
    expect(fastInvokeTarget(req('POST', `/api/flows/${id}/invoke`))).toBe(id);
    expect(fastInvokeTarget(req('GET', `/api/flows/${id}/invoke?x=1`))).toBe(id);
  });

  it('leaves everything else to Next: other credentials, no key, other paths, malformed ids, other methods', () => {
    expect(fastInvokeTarget(req('POST', `/api/flows/${id}/invoke`, { 'x-flow-key': 'k', authorization: 'Bearer t' }))).toBeUndefined();
    expect(fastInvokeTarget(req('POST', `/api/flows/${id}/invoke`, { 'x-flow-key': 'k', cookie: 'a=b' }))).toBeUndefined();
    expect(fastInvokeTarget(req('POST', `/api/flows/${id}/invoke`, {}))).toBeUndefined();
    expect(fastInvokeTarget(req('POST', `/api/flows/${id}/start`))).toBeUndefined();
    expect(fastInvokeTarget(req('POST', '/api/flows/abc/invoke'))).toBeUndefined();
    expect(fastInvokeTarget(req('POST', `/api/flows/${id}/invoke/extra`))).toBeUndefined();
    expect(fastInvokeTarget(req('TRACE', `/api/flows/${id}/invoke`))).toBeUndefined();
    expect(fastInvokeTarget(req('POST', `/api/flows/${id}%2F/invoke`))).toBeUndefined();
  });
});
