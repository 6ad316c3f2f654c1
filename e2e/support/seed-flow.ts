import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * Writes a flow straight into the e2e server's SQLite database (there is no flows API yet), so the
 * catalog can be shown an account that a flow uses. The server reads the same file (WAL).
 */
export function seedFlow(ownerId: string, name: string, status: 'active' | 'stopped' | 'draft', accountId: string): string {
  const db = new Database(join(process.cwd(), process.env.E2E_DATA_DIR ?? join('.cache', 'e2e-data'), 'app.db'));
  try {
    db.pragma('busy_timeout = 5000');
    const id = randomUUID();
    const now = new Date().toISOString();
    const document = JSON.stringify({
      schemaVersion: 1,
      nodes: [{ id: 'trigger', type: 'dynamics.lead.new', params: { accountId } }],
      edges: [],
    });
    db.transaction(() => {
      db.prepare(
        'INSERT INTO flows (id, owner_id, name, description, status, current_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
      ).run(id, ownerId, name, '', status, now, now);
      db.prepare('INSERT INTO flow_versions (id, flow_id, owner_id, version, document_json, created_at) VALUES (?, ?, ?, 1, ?, ?)').run(
        randomUUID(),
        id,
        ownerId,
        document,
        now,
      );
    })();
    return id;
  } finally {
    db.close();
  }
}

export function setFlowStatus(flowId: string, status: 'active' | 'stopped'): void {
  const db = new Database(join(process.cwd(), process.env.E2E_DATA_DIR ?? join('.cache', 'e2e-data'), 'app.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE flows SET status = ? WHERE id = ?').run(status, flowId);
  } finally {
    db.close();
  }
}
