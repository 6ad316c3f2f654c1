// The flow-model-is-pure rule (.dependency-cruiser.cjs) catches a wrong import from lib/flows/model/:
// dependency-cruiser runs with the real rules over a throwaway tree, as test/architecture.test.ts does.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(__dirname, '..', '..', '..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
let dir = '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('flow-model-is-pure', () => {
  it('lets the model import zod, itself, ids.ts and the toolbox catalog, and nothing else', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dfd-flow-model-'));
    const leaf = 'export const value = 1;\n';
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', paths: { '@/*': ['./*'] } } }),
      'node_modules/zod/package.json': JSON.stringify({ name: 'zod', version: '4.0.0', main: 'index.js', types: 'index.d.ts' }),
      'node_modules/zod/index.js': 'export const z = {};\n',
      'node_modules/zod/index.d.ts': 'export declare const z: object;\n',
      'lib/db/d.ts': leaf,
      'lib/dynamics/connector/ids.ts': leaf,
      'lib/dynamics/connector/define.ts': 'export type Kind = string;\n',
      'lib/connectors/toolbox.ts': leaf,
      'lib/flows/engine/e.ts': leaf,
      'lib/flows/model/other.ts': leaf,
      'lib/flows/model/good.ts':
        "import { z } from 'zod';\nimport { value as a } from './other';\nimport { value as b } from '../../dynamics/connector/ids';\n" +
        "import { value as c } from '@/lib/connectors/toolbox';\nexport const good = [z, a, b, c];\n",
      'lib/flows/model/storage.ts': "import { value } from '../../db/d';\nexport const s = value;\n",
      'lib/flows/model/node.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      'lib/flows/model/typed.ts': "import type { Kind } from '../../dynamics/connector/define';\nexport const k: Kind = 'k';\n",
      'lib/flows/model/engine.ts': "import { value } from '../engine/e';\nexport const e = value;\n",
      // Tests next to the model may read fixtures from disk.
      'lib/flows/model/good.test.ts': "import { readFileSync } from 'node:fs';\nexport const t = readFileSync;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const { stdout } = await run(
      process.execPath,
      [depcruise, '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', 'lib'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    );
    const violations = (
      JSON.parse(stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } }
    ).summary.violations
      .filter((v) => v.rule.name === 'flow-model-is-pure')
      .map((v) => `${v.from} → ${v.to}`)
      .sort();
    expect(violations).toEqual([
      'lib/flows/model/engine.ts → lib/flows/engine/e.ts',
      'lib/flows/model/node.ts → fs',
      'lib/flows/model/storage.ts → lib/db/d.ts',
      'lib/flows/model/typed.ts → lib/dynamics/connector/define.ts',
    ]);
  });
});
