import { describe, expect, it } from 'vitest';
import { checkFlow } from '@/lib/flows/model/check-flow';
import { emptyDocument, type EditorDocument } from './editor-document';
import {
  addNode,
  connect,
  connectionProblem,
  copySteps,
  getInput,
  handlesOf,
  pasteSteps,
  removeNodes,
  setInput,
  setOnError,
} from './document-ops';

function chain(): { doc: EditorDocument; t: string; a: string; b: string } {
  let doc = emptyDocument('test');
  const t = addNode(doc, { type: 'manual.trigger', position: { x: 0, y: 0 } });
  doc = t.doc;
  const a = addNode(doc, {
    type: 'toolbox.log',
    position: { x: 240, y: 0 },
    inputs: { message: 'a' },
    after: { node: t.id, handle: 'next' },
  });
  doc = a.doc;
  const b = addNode(doc, {
    type: 'toolbox.log',
    position: { x: 480, y: 0 },
    inputs: { message: 'b' },
    after: { node: a.id, handle: 'next' },
  });
  return { doc: b.doc, t: t.id, a: a.id, b: b.id };
}

const links = (doc: EditorDocument) => doc.edges.map((e) => `${e.from.node}:${e.from.handle}>${e.to.node}`).sort();

describe('document ops', () => {
  it('builds a valid document: new steps after a step are connected from it', () => {
    const { doc, t, a, b } = chain();
    expect(links(doc)).toEqual([`${a}:next>${b}`, `${t}:next>${a}`].sort());
    expect(checkFlow(doc).ok).toBe(true);
  });

  it('inserting after a connected step puts the new step in between', () => {
    const { doc, t, a } = chain();
    const mid = addNode(doc, {
      type: 'toolbox.log',
      position: { x: 120, y: 0 },
      inputs: { message: 'mid' },
      after: { node: t, handle: 'next' },
    });
    expect(links(mid.doc)).toContain(`${t}:next>${mid.id}`);
    expect(links(mid.doc)).toContain(`${mid.id}:next>${a}`);
    expect(links(mid.doc)).not.toContain(`${t}:next>${a}`);
  });

  it('refuses what validation would refuse: loops, into the trigger, unknown handles, twice', () => {
    const { doc, t, a, b } = chain();
    expect(connectionProblem(doc, b, 'next', a)).toMatch(/loop/);
    expect(connectionProblem(doc, a, 'next', t)).toMatch(/trigger/);
    expect(connectionProblem(doc, a, 'then', b)).toMatch(/no “then” output/);
    expect(connectionProblem(doc, a, 'next', b)).toMatch(/already/);
    expect(connectionProblem(doc, a, 'next', a)).toMatch(/itself/);
    expect(connect(doc, b, 'next', a).doc).toBe(doc);
  });

  it("allows a For each body's edge back to its For each (the next iteration)", () => {
    let doc = emptyDocument();
    const t = addNode(doc, { type: 'manual.trigger', position: { x: 0, y: 0 } });
    const fe = addNode(t.doc, {
      type: 'toolbox.for_each',
      position: { x: 1, y: 0 },
      inputs: { items: [1, 2] },
      after: { node: t.id, handle: 'next' },
    });
    const body = addNode(fe.doc, {
      type: 'toolbox.log',
      position: { x: 2, y: 0 },
      inputs: { message: 'x' },
      after: { node: fe.id, handle: 'each' },
    });
    doc = body.doc;
    expect(connectionProblem(doc, body.id, 'next', fe.id)).toBeNull();
    doc = connect(doc, body.id, 'next', fe.id).doc;
    expect(checkFlow(doc).ok).toBe(true);
  });

  it('removing the middle of a chain bridges it', () => {
    const { doc, t, a, b } = chain();
    const next = removeNodes(doc, [a]);
    expect(next.nodes.map((n) => n.id)).toEqual([t, b]);
    expect(links(next)).toEqual([`${t}:next>${b}`]);
  });

  it('sets and clears nested inputs without touching the old document', () => {
    const { doc, a } = chain();
    const set = setInput(doc, a, ['fields', 'lastname'], { expr: '$trigger.name' });
    expect(
      getInput(
        set.nodes.find((n) => n.id === a)!,
        ['fields', 'lastname'],
      ),
    ).toEqual({ expr: '$trigger.name' });
    expect(
      getInput(
        doc.nodes.find((n) => n.id === a)!,
        ['fields'],
      ),
    ).toBeUndefined();
    const cleared = setInput(set, a, ['fields', 'lastname'], undefined);
    expect(cleared.nodes.find((n) => n.id === a)!.params.inputs).toEqual({ message: 'a' });
  });

  it('an error output exists only while errors are routed', () => {
    const { doc, a, b } = chain();
    const routed = setOnError(doc, a, 'route');
    expect(handlesOf(routed.nodes.find((n) => n.id === a)!)).toContain('error');
    const withError = connect(routed, a, 'error', b).doc;
    const back = setOnError(withError, a, 'fail');
    expect(back.edges.some((e) => e.from.handle === 'error')).toBe(false);
    expect(back.nodes.find((n) => n.id === a)!.params.onError).toBeUndefined();
  });

  it('copy/paste gives new ids, keeps inner connections and references, and never a second trigger', () => {
    const { doc, t, a, b } = chain();
    const withRef = setInput(doc, b, ['message'], { expr: `$steps.${a}.output.message & $steps.${t}.output` });
    const clip = copySteps(withRef, [t, a, b]);
    const pasted = pasteSteps(withRef, clip, { x: 40, y: 40 });
    expect(pasted.ids).toHaveLength(2); // the trigger is not pasted a second time
    const [a2, b2] = pasted.ids as [string, string];
    expect(links(pasted.doc)).toContain(`${a2}:next>${b2}`);
    const b2node = pasted.doc.nodes.find((n) => n.id === b2)!;
    expect(b2node.params.inputs.message).toEqual({ expr: `$steps.${a2}.output.message & $steps.${t}.output` });
    expect(b2node.position).toEqual({ x: 520, y: 40 });
  });
});
