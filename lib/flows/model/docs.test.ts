import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlow } from './check-flow';

// docs/flow-document.md shows a complete example per node type: each must be a sound document, and the same as its fixture.
const doc = readFileSync(join(process.cwd(), 'docs', 'flow-document.md'), 'utf8');
const examples = [...doc.slice(doc.indexOf('## Examples')).matchAll(/`([a-z0-9-]+\.json)`\n\n```json\n([\s\S]*?)```/g)].map(
  (m) => [m[1]!, JSON.parse(m[2]!) as unknown] as const,
);

describe('docs/flow-document.md', () => {
  it('has an example for every v2 fixture', () => {
    const fixtures = readdirSync(join(process.cwd(), 'test', 'fixtures', 'flows', 'v2'));
    expect(new Set(examples.map(([f]) => f))).toEqual(new Set(fixtures));
  });

  it.each(examples)('%s is a sound document, equal to its fixture', (file, example) => {
    expect(checkFlow(example)).toMatchObject({ ok: true });
    const fixture = JSON.parse(readFileSync(join(process.cwd(), 'test', 'fixtures', 'flows', 'v2', file), 'utf8')) as unknown;
    expect(example).toEqual(fixture);
  });
});
