import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateDocument } from '../lib/flows/model/migrate';
import { simulate, type Script } from '../lib/flows/engine/simulate';

/**
 * Golden fixtures (R9): every flow fixture, run through the engine with a fixed script, must give
 * the step log stored beside it in test/fixtures/engine/. A change of the engine's decisions shows
 * up here as a diff. `UPDATE_GOLDEN=1 npx vitest run test/engine-golden.test.ts` rewrites them
 * — review the diff before committing.
 */
const FLOWS = join(process.cwd(), 'test/fixtures/flows/v2');
const GOLDEN = join(process.cwd(), 'test/fixtures/engine');

/** The scripted world: If takes `then` on even-length ids, For each gets three items, the rest echo. */
const script: Script = (nodeId, _attempt, { item }) => {
  if (nodeId.startsWith('sIf')) return { output: { result: true }, branch: 'then' };
  if (nodeId.startsWith('sForEach')) return { output: { count: 3 }, items: ['a', 'b', 'c'] };
  if (nodeId.startsWith('sFail')) return { fail: { code: 'flow_failed', message: 'Stopped by the flow.' } };
  if (nodeId.startsWith('sResp')) return { output: { status: 200 }, response: { status: 200, headers: {}, body: { ok: true } } };
  return { output: { node: nodeId, item: item ?? null } };
};

describe('golden step logs', () => {
  for (const file of readdirSync(FLOWS).filter((f) => f.endsWith('.json'))) {
    it(file, () => {
      const migrated = migrateDocument(JSON.parse(readFileSync(join(FLOWS, file), 'utf8')));
      if (!migrated.ok) throw new Error(JSON.stringify(migrated.problems));
      const { log, state } = simulate(migrated.document, { sample: true }, script);
      const actual = { log, status: state.status, error: state.error ?? null, vars: state.vars };
      const path = join(GOLDEN, file.replace(/\.json$/, '.log.json'));
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
      expect(actual).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    });
  }
});
