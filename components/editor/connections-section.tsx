'use client';

import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { connect, connectionProblem, handlesOf, isTrigger, removeEdges } from '@/lib/editor/document-ops';
import type { EditorNode } from '@/lib/editor/editor-document';
import type { PaletteItem } from '@/lib/editor/palette';
import { shapeTracker } from '@/lib/editor/shape-of';
import { buildGraph } from '@/lib/flows/model/graph';
import type { FlowDocument } from '@/lib/flows/model/schema';
import { HANDLE_LABELS, stepInfo } from '@/lib/editor/step-info';
import { useEditorStore } from './editor-context';

/**
 * The selected step's outgoing connections as a list, with a form to add one: what a mouse does by
 * dragging from a handle, done from the keyboard. The same check as on the canvas refuses an
 * invalid connection (a loop, into the trigger, a second one from a single output), in words.
 */
export function ConnectionsSection({ node, catalog }: { node: EditorNode; catalog: ReadonlyMap<string, PaletteItem> }) {
  const store = useEditorStore();
  // Shape-stable: a drag of the selected step must not redo this list 60 times a second.
  const [track] = useState(shapeTracker);
  const doc = useStore(store, (s) => track(s.doc));
  const titleOf = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id);
    return n ? n.name || stepInfo(n.type, catalog).title : id;
  };
  const handles = handlesOf(node);
  const [handle, setHandle] = useState(handles[0] ?? 'next');
  const [target, setTarget] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // The steps offered: not itself, not the trigger, not one already reached from this output, and
  // not one it comes after (a loop), found from one walk of the graph rather than a full check per
  // step (O(steps²) on a large flow); Connect still runs the canvas' complete check.
  const candidates = useMemo(() => {
    const before = buildGraph(doc as unknown as FlowDocument).ancestors(node.id);
    const taken = new Set(doc.edges.filter((e) => e.from.node === node.id && e.from.handle === handle).map((e) => e.to.node));
    return doc.nodes.filter((n) => n.id !== node.id && !isTrigger(n.type) && !taken.has(n.id) && !before.has(n.id));
  }, [doc, node.id, handle]);
  if (handles.length === 0) return null;
  const outgoing = doc.edges.filter((e) => e.from.node === node.id);
  const handleLabel = (h: string) => HANDLE_LABELS[h] ?? (h === 'next' ? 'next' : h);

  return (
    <section className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-800" aria-labelledby={`${node.id}-connections`}>
      <h3 id={`${node.id}-connections`} className="mb-2 text-sm font-semibold">
        Goes on to
      </h3>
      {outgoing.length === 0 ? (
        <p className="mb-2 text-xs text-slate-500">Nothing yet: connect a step below, or drag from the step’s handle on the canvas.</p>
      ) : (
        <ul className="mb-2 space-y-1 text-sm" data-testid="connections">
          {outgoing.map((e) => (
            <li key={e.id} className="flex items-center justify-between gap-2">
              <span className="min-w-0 truncate">
                {handles.length > 1 && <span className="text-slate-500">{handleLabel(e.from.handle)} → </span>}
                {titleOf(e.to.node)}
              </span>
              <button
                type="button"
                className="shrink-0 text-xs text-slate-500 underline"
                aria-label={`Remove the connection to ${titleOf(e.to.node)}`}
                onClick={() => store.getState().edit((d) => removeEdges(d, [e.id]))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-end gap-2">
        {handles.length > 1 && (
          <label className="text-xs text-slate-600 dark:text-slate-300">
            From
            <select
              className="field-input mt-0.5"
              value={handle}
              onChange={(e) => {
                setHandle(e.target.value);
                setProblem(null);
              }}
            >
              {handles.map((h) => (
                <option key={h} value={h}>
                  {handleLabel(h)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="min-w-0 flex-1 text-xs text-slate-600 dark:text-slate-300">
          Connect to
          <select
            className="field-input mt-0.5"
            value={target}
            onChange={(e) => {
              setTarget(e.target.value);
              setProblem(null);
            }}
          >
            <option value="">Choose a step…</option>
            {candidates.map((n) => (
              <option key={n.id} value={n.id}>
                {titleOf(n.id)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn-secondary"
          disabled={!target}
          onClick={() => {
            const current = store.getState().doc;
            const refused = connectionProblem(current, node.id, handle, target);
            if (refused) return setProblem(refused);
            store.getState().edit((d) => connect(d, node.id, handle, target).doc);
            setTarget('');
          }}
        >
          Connect
        </button>
      </div>
      {problem && (
        <p className="mt-1 text-xs text-red-700" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
