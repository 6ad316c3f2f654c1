import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { findPgBin, startPgCluster } from '../scripts/lib/pg-cluster.mjs';

describe('pg-cluster', () => {
  it('starts a throwaway PostgreSQL on a free port and removes it on stop', async () => {
    const cluster = await startPgCluster({ database: 'probe' });
    let stopped = false;
    try {
      expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/probe$/);
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query<{ db: string; fsync: string }>(
        "select current_database() as db, current_setting('fsync') as fsync",
      );
      await client.end();
      expect(rows[0]).toEqual({ db: 'probe', fsync: 'off' });
      await cluster.stop();
      stopped = true;
      expect(existsSync(cluster.dir)).toBe(false);
      const bin = findPgBin() ?? '';
      const ready = (() => {
        try {
          execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(cluster.port)], { stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      })();
      expect(ready).toBe(false);
    } finally {
      if (!stopped) await cluster.stop();
    }
  });
});
