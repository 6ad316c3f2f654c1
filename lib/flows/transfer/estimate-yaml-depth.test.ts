/** The pre-parse depth estimate: close on real files, large on hostile ones, fooled by no quotes or comments. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { estimateYamlDepth, scanYaml } from './estimate-yaml-depth';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/flows/v2/${name}.json`, import.meta.url), 'utf8')) as unknown;

describe('estimateYamlDepth', () => {
  it('counts flow brackets, block indentation and leading dashes', () => {
    expect(estimateYamlDepth('a: 1')).toBe(1);
    expect(estimateYamlDepth('a: { b: [1, 2] }')).toBe(3);
    expect(estimateYamlDepth('a:\n  b:\n    c: 1\nd: 2')).toBe(3);
    expect(estimateYamlDepth('- - - x')).toBe(4);
    expect(estimateYamlDepth('['.repeat(1000) + ']'.repeat(1000))).toBe(1001);
    expect(estimateYamlDepth('- '.repeat(1000) + 'x')).toBeGreaterThan(1000);
  });

  it('ignores brackets inside quotes, comments and plain words', () => {
    expect(estimateYamlDepth(`a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\nc: x${'['.repeat(500)}`)).toBe(1);
    expect(estimateYamlDepth(`a: "say \\"[[[[\\" it's"\nb: 'it''s [[[['`)).toBe(1);
  });

  it('counts entries: line breaks and flow commas, not those inside quotes or in plain text', () => {
    expect(scanYaml('a: [1, 2, 3]\nb: "x,\ny"\nc: d, e\n').entries).toBe(5);
  });

  it('stays low for every fixture, in YAML and JSON', () => {
    for (const name of ['toolbox-if', 'dynamics-action-upsert', 'api-request-response', 'toolbox-for-each']) {
      const doc = fixture(name);
      expect(estimateYamlDepth(stringify(doc)), name).toBeLessThan(20);
      expect(estimateYamlDepth(JSON.stringify(doc, null, 2)), name).toBeLessThan(20);
      expect(estimateYamlDepth(JSON.stringify(doc)), name).toBeLessThan(20);
    }
  });
});
