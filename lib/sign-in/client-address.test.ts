import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress } from './client-address';

describe('clientAddress', () => {
  it('is the address Next recorded from the socket', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '::ffff:127.0.0.1' }))).toBe('127.0.0.1');
    expect(clientAddress({ 'x-forwarded-for': '203.0.113.9' })).toBe('203.0.113.9');
    expect(clientAddress({})).toBe('unknown');
  });

  it('behind a trusted proxy, is the last hop the proxy appended (a client cannot forge it)', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '1.2.3.4, 198.51.100.20' }))).toBe('198.51.100.20');
  });

  it('groups IPv6 clients by /64 and refuses garbage', () => {
    expect(normalizeAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(normalizeAddress('[2001:db8::7]')).toBe('2001:db8:0:0::/64');
    expect(normalizeAddress('not an address')).toBe('unknown');
  });
});
