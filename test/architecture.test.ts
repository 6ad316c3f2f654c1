// The architecture rules (.dependency-cruiser.cjs) catch wrong imports: dependency-cruiser runs with
// the real rules file over a small throwaway tree, and over the repository the way `npm run lint` does.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(__dirname, '..');
const rulesFile = join(root, '.dependency-cruiser.cjs');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Runs the depcruise CLI in `cwd` with the real rules and returns every violation. */
async function cruise(cwd: string, targets: string[]): Promise<Violation[]> {
  const { stdout } = await run(process.execPath, [depcruise, '--config', rulesFile, '--output-type', 'json', ...targets], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes a throwaway project (files relative to its root) with a tsconfig resolving `@/`. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfd-architecture-'));
  dirs.push(dir);
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'esnext', moduleResolution: 'bundler', jsx: 'react-jsx', paths: { '@/*': ['./*'] } },
    }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const leaf = 'export const value = 1;\n';
/** The top-level folders of a throwaway project, as `npm run lint` names them. */
const targetsIn = (dir: string) => ['app', 'components', 'lib', 'test', 'e2e', 'bench'].filter((t) => existsSync(join(dir, t)));

describe('architecture rules (.dependency-cruiser.cjs)', () => {
  it('report each wrong import under its rule', async () => {
    const dir = project({
      'lib/db/database.ts': leaf,
      'lib/db/d.ts': leaf,
      'lib/secrets/key.ts': 'export type Key = string;\n',
      'lib/server/s.ts': leaf,
      'lib/flows/model/flow.ts': 'export type Flow = { id: string };\n',
      'lib/dynamics/sandbox/y.ts': leaf,
      'test/support/z.ts': leaf,
      'app/page.tsx': 'export default function Page() { return null; }\n',
      // Browser code reaching storage (through the @/ alias), secrets (type-only still counts) and node.
      'components/bad.tsx': "import { value } from '@/lib/db/database';\nexport const Bad = () => value;\n",
      'components/typed.tsx': "import type { Key } from '../lib/secrets/key';\nexport const k: Key = 'k';\n",
      'components/fs.tsx': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
      // A loop.
      'lib/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
      'lib/b.ts': "import { a } from './a';\nexport const b = () => a();\n",
      // The client is the bottom layer, and production code never imports the emulator.
      'lib/dynamics/client/x.ts': "import { value } from '../sandbox/y';\nexport const x = value;\n",
      'app/api/thing/route.ts': "import { value } from '@/lib/dynamics/sandbox/y';\nexport const GET = () => Response.json(value);\n",
      // The flow engine is pure.
      'lib/flows/engine/e.ts': "import { value } from '../../db/d';\nexport const e = value;\n",
      'lib/flows/engine/clock.ts': "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n",
      // Dynamics below the HTTP boundary; storage knows no flows; lib below app.
      'lib/dynamics/metadata/m.ts': "import { value } from '../../server/s';\nexport const m = value;\n",
      'lib/db/runs.ts': "import type { Flow } from '../flows/model/flow';\nexport type Run = { flow: Flow };\n",
      'lib/page-user.ts': "import Page from '../app/page';\nexport const page = Page;\n",
      // Test harnesses only for tests.
      'lib/uses-test.ts': "import { value } from '../test/support/z';\nexport const t = value;\n",
    });
    const violations = await cruise(dir, targetsIn(dir));
    const found = (rule: string, from: string, to: string) => violations.some((v) => v.rule === rule && v.from === from && v.to === to);

    expect(found('browser-stays-in-browser', 'components/bad.tsx', 'lib/db/database.ts')).toBe(true);
    expect(found('browser-stays-in-browser', 'components/typed.tsx', 'lib/secrets/key.ts')).toBe(true);
    expect(found('browser-no-node-builtins', 'components/fs.tsx', 'fs')).toBe(true);
    expect(violations.some((v) => v.rule === 'no-circular' && v.from === 'lib/a.ts')).toBe(true);
    expect(found('client-is-the-bottom-layer', 'lib/dynamics/client/x.ts', 'lib/dynamics/sandbox/y.ts')).toBe(true);
    expect(found('sandbox-only-for-tests', 'lib/dynamics/client/x.ts', 'lib/dynamics/sandbox/y.ts')).toBe(true);
    expect(found('sandbox-only-for-tests', 'app/api/thing/route.ts', 'lib/dynamics/sandbox/y.ts')).toBe(true);
    expect(found('flow-engine-is-pure', 'lib/flows/engine/e.ts', 'lib/db/d.ts')).toBe(true);
    expect(found('flow-engine-no-node-builtins', 'lib/flows/engine/clock.ts', 'crypto')).toBe(true);
    expect(found('dynamics-below-server-and-flows', 'lib/dynamics/metadata/m.ts', 'lib/server/s.ts')).toBe(true);
    expect(found('storage-knows-no-logic', 'lib/db/runs.ts', 'lib/flows/model/flow.ts')).toBe(true);
    expect(found('lib-below-app', 'lib/page-user.ts', 'app/page.tsx')).toBe(true);
    expect(found('test-code-only-for-tests', 'lib/uses-test.ts', 'test/support/z.ts')).toBe(true);
  });

  it('pass a tree that keeps them', async () => {
    const dir = project({
      'lib/db/database.ts': leaf,
      'lib/forms/describe.ts': leaf,
      'lib/flows/model/flow.ts': 'export type Flow = { id: string };\n',
      'lib/flows/engine/e.ts': "import type { Flow } from '../model/flow';\nexport const run = (flow: Flow) => flow.id;\n",
      'lib/dynamics/client/c.ts': leaf,
      'lib/dynamics/sandbox/y.ts': "import { value } from '../client/c';\nexport const sandbox = value;\n",
      'lib/dynamics/sandbox/y.test.ts': "import { sandbox } from './y';\nexport const t = sandbox;\n",
      'app/sandbox/route.ts': "import { sandbox } from '@/lib/dynamics/sandbox/y';\nexport const GET = () => Response.json(sandbox);\n",
      'app/api/thing/route.ts': "import { value } from '@/lib/db/database';\nexport const GET = () => Response.json(value);\n",
      'components/form.tsx': "import { value } from '@/lib/forms/describe';\nexport const Form = () => value;\n",
      'test/support/z.ts': "import { sandbox } from '../../lib/dynamics/sandbox/y';\nexport const z = sandbox;\n",
      'lib/q.test.ts': "import { z } from '../test/support/z';\nexport const q = z;\n",
      'e2e/journey.spec.ts': "import { z } from '../test/support/z';\nexport const j = z;\n",
      'bench/b.ts': "import { sandbox } from '../lib/dynamics/sandbox/y';\nexport const b = sandbox;\n",
    });
    expect(await cruise(dir, targetsIn(dir))).toEqual([]);
  });

  it('hold in this repository (what npm run lint checks)', async () => {
    const lint = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { lint: string } }).scripts.lint;
    const command = lint.split('&&').find((part) => part.trim().startsWith('depcruise '));
    expect(command, 'npm run lint runs depcruise').toBeDefined();
    // The targets are what follows the rules file in `depcruise --config .dependency-cruiser.cjs <targets>`.
    const targets = command!.trim().split(/\s+/).slice(3);
    expect(targets).toEqual(expect.arrayContaining(['app', 'components', 'lib']));
    expect(await cruise(root, targets)).toEqual([]);
  });
});
