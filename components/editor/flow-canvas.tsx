'use client';

import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
} from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { addNode, connect, connectionProblem, handlesOf, isTrigger, moveNodes, removeEdges, removeNodes } from '@/lib/editor/document-ops';
import type { EditorNode } from '@/lib/editor/editor-document';
import type { PaletteItem } from '@/lib/editor/palette';
import { stepInfo } from '@/lib/editor/step-info';
import { useEditor, useEditorStore } from './editor-context';
import { StepNode, type StepFlowNode, type StepStatus } from './step-node';

export const STEP_DRAG_TYPE = 'application/x-dfd-step';

const nodeTypes = { step: StepNode };

export interface FlowCanvasProps {
  catalog: ReadonlyMap<string, PaletteItem>;
  /** Account names by id; undefined while they load (no "Unknown account" flashes meanwhile). */
  accountNames: ReadonlyMap<string, string> | undefined;
  /** The account new Dynamics steps use until the person picks another. */
  defaultAccountId?: string;
  problemsByNode: ReadonlyMap<string, number>;
  /** A test run's live step statuses, by node id. */
  statuses?: ReadonlyMap<string, StepStatus>;
  /** Steps whose last test result is out of date (lib/editor/stale-steps.ts). */
  stale?: ReadonlySet<string>;
  /** A version diff drawn on the canvas: how each step changed, and the connections that went away. */
  diffs?: ReadonlyMap<string, 'added' | 'removed' | 'changed'>;
  removedEdges?: ReadonlySet<string>;
  onNodeClick?: (nodeId: string) => void;
  readOnly?: boolean;
}

/**
 * The canvas: a controlled React Flow over the store's document. Flow nodes are derived per
 * document node and cached by reference, so dragging one step re-renders one step, not all of them.
 */
export function FlowCanvas({
  catalog,
  accountNames,
  defaultAccountId,
  problemsByNode,
  statuses,
  stale,
  diffs,
  removedEdges,
  onNodeClick,
  readOnly,
}: FlowCanvasProps) {
  const store = useEditorStore();
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const flow = useReactFlow();
  // Per-canvas caches (state, not refs: they are read while rendering and never replaced).
  const [cache] = useState(() => new WeakMap<EditorNode, { key: string; node: StepFlowNode }>());
  const [measured] = useState(() => new Map<string, { width: number; height: number }>());

  const nodes = useMemo(() => {
    const selected = new Set(selection.nodes);
    return doc.nodes.map((n) => {
      const info = stepInfo(n.type, catalog);
      const problems = problemsByNode.get(n.id) ?? 0;
      const status = statuses?.get(n.id);
      const isStale = stale?.has(n.id) ?? false;
      const diff = diffs?.get(n.id);
      const account = n.params.accountId ? accountNames?.get(n.params.accountId) : undefined;
      const subtitle = !info.needsAccount
        ? undefined
        : n.params.accountId
          ? (account ?? (accountNames ? 'Unknown account' : undefined))
          : 'No account chosen';
      const key = `${selected.has(n.id)}|${problems}|${status ?? ''}|${isStale}|${diff ?? ''}|${subtitle ?? ''}|${info.title}`;
      const hit = cache.get(n);
      if (hit && hit.key === key) return hit.node;
      const node: StepFlowNode = {
        id: n.id,
        type: 'step',
        position: n.position,
        selected: selected.has(n.id),
        ...(measured.has(n.id) ? { measured: measured.get(n.id) } : {}),
        data: {
          title: info.title,
          ...(n.name ? { name: n.name } : {}),
          application: info.application,
          category: info.category,
          ...(subtitle ? { subtitle } : {}),
          problems,
          handles: handlesOf(n),
          isTrigger: info.category === 'trigger',
          ...(status ? { status } : {}),
          ...(isStale ? { stale: true } : {}),
          ...(diff ? { diff } : {}),
        },
      };
      cache.set(n, { key, node });
      return node;
    });
  }, [doc.nodes, selection.nodes, catalog, problemsByNode, statuses, stale, diffs, accountNames, cache, measured]);

  const edges = useMemo<Edge[]>(() => {
    const selected = new Set(selection.edges);
    return doc.edges.map((e) => ({
      id: e.id,
      source: e.from.node,
      sourceHandle: e.from.handle,
      target: e.to.node,
      selected: selected.has(e.id),
      className: e.from.handle === 'error' ? 'edge-error' : undefined,
      style: removedEdges?.has(e.id)
        ? { stroke: '#ef4444', strokeDasharray: '6 4' }
        : e.from.handle === 'error'
          ? { stroke: '#ef4444' }
          : undefined,
    }));
  }, [doc.edges, selection.edges, removedEdges]);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      const positions: Record<string, { x: number; y: number }> = {};
      let selectionChanged = false;
      const nextSelected = new Set(store.getState().selection.nodes);
      for (const c of changes) {
        if (c.type === 'position' && c.position) positions[c.id] = c.position;
        else if (c.type === 'dimensions' && c.dimensions) measured.set(c.id, c.dimensions);
        else if (c.type === 'select') {
          selectionChanged = true;
          if (c.selected) nextSelected.add(c.id);
          else nextSelected.delete(c.id);
        }
      }
      if (readOnly) return;
      if (Object.keys(positions).length) store.getState().edit((d) => moveNodes(d, positions));
      if (selectionChanged) store.getState().select({ nodes: [...nextSelected] });
    },
    [store, readOnly, measured],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const select = changes.filter((c) => c.type === 'select');
      if (select.length) {
        const next = new Set(store.getState().selection.edges);
        for (const c of select) {
          if (c.type !== 'select') continue;
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        }
        store.getState().select({ edges: [...next] });
      }
    },
    [store],
  );

  // Deleting (the Delete key, a selection) is one edit, steps and their connections together, so one
  // undo brings all of it back; the 'remove' changes React Flow also sends are not applied again.
  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: StepFlowNode[]; edges: Edge[] }) => {
      if (readOnly || (gone.length === 0 && cut.length === 0)) return;
      const goneIds = new Set(gone.map((n) => n.id));
      // A deleted step's own connections go with it in removeNodes, which also bridges a step out of a chain.
      const alone = cut.filter((e) => !goneIds.has(e.source) && !goneIds.has(e.target)).map((e) => e.id);
      store.getState().edit((d) => removeNodes(removeEdges(d, alone), [...goneIds]));
    },
    [store, readOnly],
  );

  const isValidConnection = useCallback(
    (c: Connection | Edge) =>
      !readOnly &&
      c.source !== null &&
      c.target !== null &&
      connectionProblem(store.getState().doc, c.source, c.sourceHandle ?? 'next', c.target) === null,
    [store, readOnly],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const result = connect(store.getState().doc, c.source, c.sourceHandle ?? 'next', c.target);
      if (result.problem) store.getState().notify(result.problem);
      else store.getState().edit(() => result.doc);
    },
    [store],
  );

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      const type = event.dataTransfer.getData(STEP_DRAG_TYPE);
      if (!type || readOnly) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      placeStep(store, type, { x: position.x - 112, y: position.y - 30 }, catalog, defaultAccountId, false);
    },
    [flow, store, catalog, defaultAccountId, readOnly],
  );

  const onSelectionChange = useCallback(
    (p: OnSelectionChangeParams) => {
      const nodesNow = p.nodes.map((n) => n.id);
      const edgesNow = p.edges.map((e) => e.id);
      const current = store.getState().selection;
      if (same(current.nodes, nodesNow) && same(current.edges, edgesNow)) return;
      store.getState().select({ nodes: nodesNow, edges: edgesNow });
    },
    [store],
  );

  // A large flow opens on its beginning (the trigger and the steps after it, readable), not shrunk
  // to fit: then only the steps in view are drawn, which is what keeps panning and dragging smooth.
  // "Fit View" in the controls still shows the whole flow.
  const large = doc.nodes.length > CULL_FROM_NODES;
  const firstIds = large ? doc.nodes.slice(0, OPEN_ON_FIRST).map((n) => n.id) : undefined;
  const firstKey = firstIds?.join(',');
  const fitViewOptions = useMemo(
    () => ({ maxZoom: 1, padding: 0.3, ...(firstKey ? { nodes: firstKey.split(',').map((id) => ({ id })), minZoom: READABLE_ZOOM } : {}) }),
    [firstKey],
  );

  return (
    <div className="h-full w-full" onDragOver={(e) => e.dataTransfer.types.includes(STEP_DRAG_TYPE) && e.preventDefault()} onDrop={onDrop}>
      <ReactFlow<StepFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onSelectionChange={onSelectionChange}
        onNodeClick={onNodeClick ? (_e, n) => onNodeClick(n.id) : undefined}
        onNodeDragStart={() => store.getState().beginGesture()}
        onNodeDragStop={() => store.getState().endGesture()}
        onSelectionDragStart={() => store.getState().beginGesture()}
        onSelectionDragStop={() => store.getState().endGesture()}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionOnDrag={false}
        panOnScroll
        // Culling off-screen steps pays only on large flows; on small ones every step stays drawn, so a
        // step at the edge of the view never vanishes while a test run lights it up.
        onlyRenderVisibleElements={nodes.length > CULL_FROM_NODES}
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.1}
        maxZoom={2}
        // Controls, minimap and background follow the system's light or dark mode, as the rest of the app does.
        colorMode="system"
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        {/* A read-only canvas sits inside a page: there a minimap on a small flow only covers steps. */}
        {(!readOnly || nodes.length > MINIMAP_FROM_NODES) && (
          <MiniMap pannable zoomable ariaLabel="Overview of the flow" className="!hidden md:!block" />
        )}
      </ReactFlow>
    </div>
  );
}

/** From this many steps the canvas draws only what is in view (measured in bench/editor-bench.ts). */
const CULL_FROM_NODES = 150;
/** How many steps (in document order, trigger first) a large flow opens on. */
const OPEN_ON_FIRST = 4;
/** The zoom a large flow opens at, at the least: step titles readable, a few dozen steps drawn. */
const READABLE_ZOOM = 0.75;
/** Below this many steps a read-only canvas shows all of them, and a minimap would only hide some. */
const MINIMAP_FROM_NODES = 12;

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Puts a new step on the canvas. With one step selected, the new one goes after it (connected from
 * its first free output) and is selected, so picking steps one after another builds a chain.
 */
export function placeStep(
  store: ReturnType<typeof useEditorStore>,
  type: string,
  position: { x: number; y: number } | undefined,
  catalog: ReadonlyMap<string, PaletteItem>,
  defaultAccountId: string | undefined,
  afterSelection = true,
): string | undefined {
  const state = store.getState();
  const trigger = isTrigger(type);
  if (trigger && state.doc.nodes.some((n) => isTrigger(n.type))) {
    state.notify('A flow has one trigger. Remove the current trigger first to use another.');
    return undefined;
  }
  const selected = state.selection.nodes.length === 1 ? state.doc.nodes.find((n) => n.id === state.selection.nodes[0]) : undefined;
  const anchor = afterSelection && !trigger ? selected : undefined;
  const handle = anchor ? freeHandle(state.doc, anchor) : undefined;
  const at = position ?? (anchor ? { x: anchor.position.x + 300, y: anchor.position.y } : nextFreeSpot(state.doc.nodes));
  const info = stepInfo(type, catalog);
  let id: string | undefined;
  state.edit((d) => {
    const r = addNode(d, {
      type,
      position: at,
      ...(info.needsAccount && defaultAccountId ? { accountId: defaultAccountId } : {}),
      ...(anchor && handle ? { after: { node: anchor.id, handle } } : {}),
    });
    id = r.id;
    return r.doc;
  });
  if (id) state.select({ nodes: [id], edges: [] });
  return id;
}

function freeHandle(doc: { edges: { from: { node: string; handle: string } }[] }, node: EditorNode): string | undefined {
  const handles = handlesOf(node);
  return handles.find((h) => !doc.edges.some((e) => e.from.node === node.id && e.from.handle === h)) ?? handles[0];
}

function nextFreeSpot(nodes: readonly EditorNode[]): { x: number; y: number } {
  if (nodes.length === 0) return { x: 0, y: 0 };
  const right = Math.max(...nodes.map((n) => n.position.x));
  const y = nodes.find((n) => n.position.x === right)?.position.y ?? 0;
  return { x: right + 300, y };
}
