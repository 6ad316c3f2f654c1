import { describe, expect, it } from 'vitest';
import { jsonPreview } from './json-preview';

describe('jsonPreview', () => {
  it('pretty-prints objects and keeps strings as they are', () => {
    expect(jsonPreview({ a: 1, b: [true] })).toEqual({ text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}', empty: false });
    expect(jsonPreview('Hello')).toEqual({ text: 'Hello', empty: false });
    expect(jsonPreview(0)).toEqual({ text: '0', empty: false });
    expect(jsonPreview(false)).toEqual({ text: 'false', empty: false });
  });

  it('says when nothing was recorded', () => {
    expect(jsonPreview(undefined).empty).toBe(true);
    expect(jsonPreview(null).empty).toBe(true);
  });

  it('cuts a long value and says how long it was', () => {
    const preview = jsonPreview({ big: 'x'.repeat(100) }, 50);
    expect(preview.text).toHaveLength(50);
    expect(preview.fullLength).toBe(JSON.stringify({ big: 'x'.repeat(100) }, null, 2).length);
  });

  it('does not throw on values JSON cannot write', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(jsonPreview(loop).text).toBe('[object Object]');
    expect(jsonPreview(10n).text).toBe('10');
  });
});
