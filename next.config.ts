import type { NextConfig } from 'next';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` typechecks the whole repository with tsc; doing it again in every build only slows start-up.
  typescript: { ignoreBuildErrors: true },
  // Native and server-only packages must not be bundled by Turbopack.
  serverExternalPackages: ['better-sqlite3', 'pg', 'kysely'],
  env: { APP_VERSION: pkg.version },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
