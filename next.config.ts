import type { NextConfig } from 'next';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Scripts: 'self' plus 'unsafe-inline'. Next streams each page's data in inline <script> tags; the
// alternative, a per-request nonce made in proxy.ts, would make every page render per request
// (no static sign-in or error page, no cached HTML) and break the moment a page is served without
// passing through the proxy. 'unsafe-inline' keeps the rest of the policy doing its work: no
// script, frame, form target or fetch to another origin, no <base> or plugin, and React escapes
// what it renders, so there is no injected markup for an inline script to come from. Development
// needs 'unsafe-eval' too (React's dev build evaluates code for its stack traces).
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
];

// HSTS only when the visitor reached us over https: the TLS proxy in front says so in
// X-Forwarded-Proto (the server itself speaks plain http). Browsers ignore the header over http,
// so a client forging X-Forwarded-Proto on a plain connection gains nothing.
const httpsOnlyHeaders = [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }];

const nextConfig: NextConfig = {
  // NEXT_DIST_DIR lets two builds coexist on one machine (a developer's and a test run's).
  distDir: process.env.NEXT_DIST_DIR?.trim() || '.next',
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` typechecks the whole repository with tsc; doing it again in every build only slows start-up.
  typescript: { ignoreBuildErrors: true },
  // Native and server-only packages must not be bundled by Turbopack.
  serverExternalPackages: ['better-sqlite3', 'pg', 'kysely', 'pg-boss'],
  env: { APP_VERSION: pkg.version },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/:path*', has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }], headers: httpsOnlyHeaders },
    ];
  },
};

export default nextConfig;
