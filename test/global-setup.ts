// Vitest global setup: one throwaway PostgreSQL cluster per test run (unless TEST_DATABASE_URL
// points at an existing server), shared by every test file through `inject('postgresUrl')`.
// Each file then creates its own database in it (test/support/db.ts), so files run in parallel.
import type { TestProject } from 'vitest/node';
import { startPgCluster } from '../scripts/lib/pg-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database URL on a server where the test user may CREATE DATABASE. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.TEST_DATABASE_URL;
  if (existing) {
    project.provide('postgresUrl', existing);
    return async () => {};
  }
  const cluster = await startPgCluster();
  project.provide('postgresUrl', cluster.url);
  return async () => {
    await cluster.stop();
  };
}
